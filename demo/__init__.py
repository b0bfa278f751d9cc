"""Demo content for ReelVision: believable graduation films, people, funding
projects and collections, with generated posters and stills.

`data` holds the hand-written catalogue, `bulk` generates extra films for
benchmarks (`--scale`), `posters` draws the images with Pillow, and `loader`
writes everything into the database idempotently. The `load_demo_content`
management command is the entry point.
"""
