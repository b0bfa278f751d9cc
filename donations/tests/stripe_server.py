"""A local HTTP server answering like Stripe's API (the parts we use), for tests.

The official `stripe` client talks to it over HTTP (STRIPE_API_BASE): form-encoded requests,
JSON objects back, Idempotency-Key honoured. `complete(session_id)` plays the payer finishing
Checkout; `mode="error"` answers 500.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SECRET = "sk_test_local_stripe"
WHSEC = "whsec_local_test_secret"  # the webhook signing secret the tests share with the server


class StripeState:
    def __init__(self):
        self.sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.idempotent: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.mode = "normal"

    def _intent(self, session: dict, status: str) -> dict:
        intent = {"id": "pi_" + secrets.token_hex(8), "object": "payment_intent", "status": status}
        intent["amount"] = session["amount_total"]
        self.payment_intents[intent["id"]] = intent
        session["payment_intent"] = intent["id"]
        return intent

    def complete(self, session_id: str, amount: int | None = None) -> dict:
        """The payer pays by card: the session is complete and paid."""
        session = self.sessions[session_id]
        if amount is not None:
            session["amount_total"] = amount
        session.update(status="complete", payment_status="paid")
        self._intent(session, "succeeded")
        return session

    def start_bank_debit(self, session_id: str) -> dict:
        """The payer chose a bank debit: Checkout completes, the money is still on its way."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="unpaid")
        self._intent(session, "processing")
        return session

    def bank_debit_result(self, session_id: str, succeeded: bool) -> dict:
        session = self.sessions[session_id]
        self.payment_intents[session["payment_intent"]]["status"] = (
            "succeeded" if succeeded else "requires_payment_method"
        )
        if succeeded:
            session["payment_status"] = "paid"
        return session


def make_handler(state: StripeState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            return dict(parse_qsl(self.rfile.read(length).decode())) if length else {}

        def _handle(self, method: str):
            form = self._form() if method == "POST" else {}
            state.requests.append({"method": method, "path": self.path, "headers": dict(self.headers), "form": form})
            if self.headers.get("Authorization") != f"Bearer {SECRET}":
                return self._send(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}})
            if state.mode == "error":
                return self._send(500, {"error": {"type": "api_error", "message": "Something went wrong"}})
            key = self.headers.get("Idempotency-Key")
            if key and key in state.idempotent:
                return self._send(200, state.idempotent[key])
            status, body = self._route(method, form)
            if key and status == 200:
                state.idempotent[key] = body
            return self._send(status, body)

        def _route(self, method: str, form: dict):
            if method == "POST" and self.path == "/v1/checkout/sessions":
                session_id = "cs_test_" + secrets.token_hex(12)
                session = {
                    "id": session_id,
                    "object": "checkout.session",
                    "mode": form.get("mode"),
                    "status": "open",
                    "payment_status": "unpaid",
                    "currency": form.get("line_items[0][price_data][currency]"),
                    "amount_total": int(form.get("line_items[0][price_data][unit_amount]", 0))
                    * int(form.get("line_items[0][quantity]", 1)),
                    "client_reference_id": form.get("client_reference_id"),
                    "metadata": {"order_id": form.get("metadata[order_id]")},
                    "success_url": form.get("success_url"),
                    "cancel_url": form.get("cancel_url"),
                    "payment_intent": None,
                    "expires_at": int(form["expires_at"]) if form.get("expires_at") else None,
                    "url": f"https://checkout.stripe.test/c/pay/{session_id}",
                }
                state.sessions[session_id] = session
                return 200, session
            match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)", self.path)
            if method == "GET" and match:
                session = state.sessions.get(match.group(1))
                if session is None:
                    return 404, {
                        "error": {
                            "type": "invalid_request_error",
                            "code": "resource_missing",
                            "message": "No such checkout.session",
                        }
                    }
                return 200, session
            match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)/expire", self.path)
            if method == "POST" and match and match.group(1) in state.sessions:
                session = state.sessions[match.group(1)]
                if session["status"] != "open":  # Stripe: only an open session can be expired
                    return 400, {
                        "error": {
                            "type": "invalid_request_error",
                            "code": "checkout_session_not_open",
                            "message": f"This Checkout Session is {session['status']} and cannot be expired.",
                        }
                    }
                session["status"] = "expired"
                return 200, session
            match = re.fullmatch(r"/v1/payment_intents/([\w]+)", self.path)
            if method == "GET" and match and match.group(1) in state.payment_intents:
                return 200, state.payment_intents[match.group(1)]
            if method == "POST" and self.path == "/v1/refunds":
                refund = {
                    "id": "re_" + secrets.token_hex(8),
                    "object": "refund",
                    "amount": int(form["amount"]),
                    "payment_intent": form["payment_intent"],
                    "status": "succeeded",
                }
                state.refunds.append(refund)
                return 200, refund
            return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


class StripeServer:
    def __init__(self):
        self.state = StripeState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
