"""Make the media bucket if it is missing, private, with the CORS rule browser uploads need.

    python deploy/ensure_bucket.py https://reelvision.example [more origins...]

Reads the bucket and endpoint from the site's own variables (AWS_STORAGE_BUCKET_NAME,
AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
For MinIO or moto on a fresh machine (compose, bin/cluster); on AWS the bucket is usually made
by whoever manages the account, and this only adds what is missing. The video upload page sends
parts straight to the bucket with PUT and reads each part's ETag, so the site's origins must be
allowed to PUT and see ETag.
"""

from __future__ import annotations

import os
import sys

import boto3


def ensure_bucket(origins: list[str]) -> str:
    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
    )
    existing = {entry["Name"] for entry in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": origins,
                    "AllowedMethods": ["GET", "PUT", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                }
            ]
        },
    )
    return bucket


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.stdout.write(f"Bucket {ensure_bucket(sys.argv[1:])} is ready.\n")
