"""What happened to money, announced for whoever listens (members' badges today).

Each is sent once the transaction that made the change has committed, so a listener sees the new
state and cannot roll it back; a listener that fails does not stop the others (``send_robust``). Receivers get the order as keyword ``order``.
"""

from django.dispatch import Signal

# A donation or purchase was paid (counted in the ledger and the totals).
order_paid = Signal()
# Money went back to the payer: keywords `order`, `amount` (won) and `reason`.
order_refunded = Signal()
# A film the member already owned was paid for again (two tabs, two checkouts): the payment is
# counted, and must be given back. Keyword `order`.
purchase_paid_twice = Signal()
