"""Re-seal every ledger chain with the new hash input (public fields only; see LedgerEntry.hashed_fields).

Before this, the hash also covered the backer label, the note and the order number, which the
public API does not publish, so nobody outside could recompute it. Each chain is verified with
the old rule first; a chain that does not verify is left as it is (verify_ledger will name it).
"""

import hashlib
import json
from datetime import UTC

from django.db import migrations


def _old_payload(entry, order_ids):
    return json.dumps(
        {
            "chain": entry.chain_id,
            "sequence": entry.sequence,
            "kind": entry.kind,
            "order": order_ids.get(entry.order_id),
            "amount": entry.amount,
            "backer": entry.backer,
            "note": entry.note,
            "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "previous_hash": entry.previous_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _new_payload(entry, previous_hash):
    return json.dumps(
        {
            "chain": entry.chain_id,
            "sequence": entry.sequence,
            "kind": entry.kind,
            "amount": entry.amount,
            "timestamp": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "previous_hash": previous_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def reseal(apps, schema_editor):
    LedgerChain = apps.get_model("donations", "LedgerChain")
    LedgerEntry = apps.get_model("donations", "LedgerEntry")
    Order = apps.get_model("donations", "Order")
    order_ids = dict(Order.objects.values_list("pk", "public_id"))
    for chain in LedgerChain.objects.all():
        entries = list(LedgerEntry.objects.filter(chain_id=chain.pk).order_by("sequence"))
        previous = "0" * 64
        intact = True
        for entry in entries:
            if entry.previous_hash != previous or hashlib.sha256(
                _old_payload(entry, order_ids).encode()
            ).hexdigest() != entry.hash:
                intact = False
                break
            previous = entry.hash
        if not intact:
            continue
        previous = "0" * 64
        for entry in entries:
            entry.previous_hash = previous
            entry.hash = "pending-" + str(entry.pk)  # hashes are unique: clear them before writing new ones
            entry.save(update_fields=["previous_hash", "hash"])
            entry.hash = hashlib.sha256(_new_payload(entry, previous).encode()).hexdigest()
            previous = entry.hash
        for entry in entries:
            LedgerEntry.objects.filter(pk=entry.pk).update(hash=entry.hash)
        LedgerChain.objects.filter(pk=chain.pk).update(head_hash=previous)


class Migration(migrations.Migration):
    dependencies = [("donations", "0004_orders_and_ledger")]

    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
