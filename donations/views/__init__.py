"""The donations app's views: checkout and orders, backers, live funding figures, the public ledger,
and the staff's order and payout screens."""
