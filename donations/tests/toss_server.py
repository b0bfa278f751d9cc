"""A local HTTP server that answers like Toss Payments' Core API (v1), for tests.

It keeps payments the way Toss would: the test "authorises" one (what the widget does in a
browser) and the code under test confirms, looks up and cancels it over real HTTP. Modes make
it answer slowly, with a 500, or with a different amount. Idempotency keys are honoured: the
same key gets the same answer.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "test_gsk_local_toss_secret"


class TossState:
    def __init__(self):
        self.payments: dict[str, dict] = {}  # paymentKey → payment
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.requests: list[dict] = []
        self.mode = "normal"  # "slow", "error", "mismatch", "decline"
        self.delay = 0.0
        self.due_date = "2099-12-31T23:59:59+09:00"  # a virtual account's deposit deadline

    def authorise(self, order_id: str, amount: int, method: str = "카드") -> str:
        """What the widget does in the payer's browser: a payment waiting for our confirm.
        With method "가상계좌" the confirm issues a virtual account instead of charging a card."""
        key = "tgen_" + secrets.token_hex(10)
        self.payments[key] = {
            "paymentKey": key,
            "orderId": order_id,
            "totalAmount": amount,
            "status": "IN_PROGRESS",
            "method": method,
            "secret": "ps_" + secrets.token_hex(8),
            "cancels": [],
            "receipt": {"url": f"https://dashboard.tosspayments.com/receipt/{key}"},
        }
        return key

    def deposit(self, payment_key: str) -> dict:
        """The payer's transfer reaches the virtual account."""
        payment = self.payments[payment_key]
        payment["status"] = "DONE"
        return payment

    def by_order(self, order_id: str) -> dict | None:
        return next((p for p in self.payments.values() if p["orderId"] == order_id), None)


def make_handler(state: TossState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: dict):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            expected = "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
            return self.headers.get("Authorization") == expected

        def _handle(self, method: str):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            state.requests.append({"method": method, "path": self.path, "headers": dict(self.headers), "body": body})
            if not self._authorised():
                return self._send(401, {"code": "UNAUTHORIZED_KEY", "message": "인증되지 않은 시크릿 키입니다."})
            key = self.headers.get("Idempotency-Key")
            if key and key in state.idempotent:
                return self._send(*state.idempotent[key])
            status, answer = self._route(method, body)
            if key and status < 500:
                state.idempotent[key] = (status, answer)
            if state.mode == "slow":
                time.sleep(state.delay)
            if state.mode == "error":
                return self._send(500, {"code": "FAILED_INTERNAL_SYSTEM_PROCESSING", "message": "내부 오류"})
            return self._send(status, answer)

        def _route(self, method: str, body: dict):
            parts = self.path.strip("/").split("/")
            if method == "POST" and self.path == "/v1/payments/confirm":
                payment = state.payments.get(body.get("paymentKey"))
                if payment is None or payment["orderId"] != body.get("orderId"):
                    return 404, {
                        "code": "NOT_FOUND_PAYMENT_SESSION",
                        "message": "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.",
                    }
                if payment["status"] == "DONE":
                    return 400, {"code": "ALREADY_PROCESSED_PAYMENT", "message": "이미 처리된 결제 입니다."}
                if int(body.get("amount", -1)) != payment["totalAmount"]:
                    return 400, {"code": "INVALID_REQUEST", "message": "결제 금액이 일치하지 않습니다."}
                if state.mode == "decline":
                    return 400, {
                        "code": "REJECT_CARD_PAYMENT",
                        "message": "한도초과 혹은 잔액부족으로 결제에 실패했습니다.",
                    }
                if payment["method"] == "가상계좌":
                    payment["status"] = "WAITING_FOR_DEPOSIT"
                    payment["virtualAccount"] = {
                        "accountType": "일반",
                        "accountNumber": "X6598" + secrets.token_hex(4).upper()[:7],
                        "bankCode": "88",
                        "customerName": "김지수",
                        "dueDate": state.due_date,
                        "expired": False,
                        "settlementStatus": "INCOMPLETED",
                        "refundStatus": "NONE",
                    }
                    return 200, dict(payment)
                payment["status"] = "DONE"
                payment["approvedAt"] = "2026-11-23T12:00:00+09:00"
                answer = dict(payment)
                if state.mode == "mismatch":
                    answer["totalAmount"] = payment["totalAmount"] - 1
                return 200, answer
            if method == "GET" and parts[:3] == ["v1", "payments", "orders"] and len(parts) == 4:
                payment = state.by_order(parts[3])
                if payment is None:
                    return 404, {"code": "NOT_FOUND_PAYMENT", "message": "존재하지 않는 결제 정보 입니다."}
                return 200, payment
            if method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "payments"] and parts[3] == "cancel":
                payment = state.payments.get(parts[2])
                if payment is None:
                    return 404, {"code": "NOT_FOUND_PAYMENT", "message": "존재하지 않는 결제 정보 입니다."}
                refundable = payment["totalAmount"] - sum(c["cancelAmount"] for c in payment["cancels"])
                amount = int(body.get("cancelAmount") or refundable)
                if payment["status"] not in ("DONE", "PARTIAL_CANCELED") or amount > refundable:
                    return 400, {"code": "NOT_CANCELABLE_AMOUNT", "message": "취소 할 수 없는 금액 입니다."}
                if payment["method"] == "가상계좌" and not body.get("refundReceiveAccount"):
                    return 400, {"code": "INVALID_REFUND_ACCOUNT_INFO", "message": "환불 계좌 정보가 필요합니다."}
                payment["cancels"].append({"cancelAmount": amount, "cancelReason": body.get("cancelReason", "")})
                payment["status"] = "CANCELED" if amount == refundable else "PARTIAL_CANCELED"
                return 200, payment
            return 404, {"code": "NOT_FOUND", "message": "no such endpoint"}

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


class TossServer:
    def __init__(self):
        self.state = TossState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
