"""Create the terms of service and the privacy policy under the home page, in Korean and English.

Staff edit them afterwards; this text is a starting point to be checked by whoever runs the site.
"""

import uuid

from django.db import migrations
from django.utils import timezone

VERSION = "2026-12-01"
STEP = 4  # treebeard's path step: four base-36 characters per level
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TERMS_KO = """
<h2>제1조 (목적)</h2>
<p>이 약관은 ReelVision(이하 "서비스")이 제공하는 졸업작품 감상, 구매 및 제작 후원 서비스의 이용 조건과 절차, 회원과 서비스의 권리와 의무를 정합니다.</p>
<h2>제2조 (회원 가입)</h2>
<p>만 14세 이상인 분은 이 약관과 개인정보 처리방침에 동의하고 이메일 주소를 인증하여 회원이 될 수 있습니다. 만 14세 미만은 가입할 수 없습니다.</p>
<h2>제3조 (구매와 후원)</h2>
<p>유료 작품을 구매하면 해당 작품을 계속 볼 수 있는 권한이 생깁니다. 후원금은 마감이나 목표 달성 여부와 관계없이 해당 작품에 전달되며, 결제 수수료와 플랫폼 수수료를 뺀 금액이 제작자에게 정산됩니다. 모든 후원과 구매는 작품별 공개 장부에 기록됩니다.</p>
<h2>제4조 (환불)</h2>
<p>결제 후 작품을 재생하지 않았거나 리워드가 발송되지 않은 경우 고객센터를 통해 환불을 요청할 수 있습니다. 환불 여부와 금액은 관련 법령과 서비스의 환불 기준에 따릅니다.</p>
<h2>제5조 (작품과 저작권)</h2>
<p>작품의 저작권은 제작자에게 있습니다. 회원은 작품을 개인적인 감상 목적으로만 이용할 수 있으며 복제, 배포, 공개 상영할 수 없습니다.</p>
<h2>제6조 (회원의 의무)</h2>
<p>회원은 타인의 정보를 도용하거나 서비스의 운영을 방해해서는 안 되며, 제작자에게 보내는 메시지에 타인을 모욕하거나 위협하는 내용을 담아서는 안 됩니다.</p>
<h2>제7조 (탈퇴)</h2>
<p>회원은 마이페이지에서 언제든지 탈퇴할 수 있습니다. 탈퇴하면 개인정보는 지워지고, 법령에 따라 보관해야 하는 거래 기록만 이름 없이 남습니다.</p>
<h2>제8조 (약관의 변경)</h2>
<p>약관을 변경할 때는 시행 7일 전(회원에게 불리한 변경은 30일 전)부터 서비스에 알립니다.</p>
"""

TERMS_EN = """
<h2>1. Purpose</h2>
<p>These terms set out how ReelVision (the "service") may be used to watch, buy and back graduation films, and the rights and duties of members and of the service.</p>
<h2>2. Joining</h2>
<p>Anyone aged 14 or older may become a member by agreeing to these terms and the privacy policy and confirming their e-mail address. Children under 14 cannot join.</p>
<h2>3. Purchases and donations</h2>
<p>Buying a paid film lets you keep watching it. A donation reaches its film whatever the total and without a deadline; the creator is paid the donation less the payment fee and the platform fee. Every donation and purchase is recorded on the film's public ledger.</p>
<h2>4. Refunds</h2>
<p>If you have not played a film you bought, or a reward has not been sent, you may ask for a refund. Refunds follow the law and the service's refund rules.</p>
<h2>5. Films and copyright</h2>
<p>Films belong to their creators. Members may watch them for their own enjoyment only, and may not copy, distribute or screen them in public.</p>
<h2>6. Members' duties</h2>
<p>Members may not use anyone else's details or disrupt the service, and may not insult or threaten anyone in messages to creators.</p>
<h2>7. Leaving</h2>
<p>Members may delete their account from their page at any time. Their personal data is erased; only the transaction records the law requires us to keep remain, without a name.</p>
<h2>8. Changes</h2>
<p>Changes to these terms are announced on the service 7 days before they take effect (30 days for changes to members' disadvantage).</p>
"""

PRIVACY_KO = """
<h2>1. 수집하는 개인정보</h2>
<p>가입할 때: 이메일 주소, 비밀번호(암호화 저장), 표시 이름, 약관·개인정보 처리방침 동의 시각과 버전, 만 14세 이상 확인, 마케팅 이메일 수신 여부. 선택해서 입력할 때: 학과, 학번, 프로필 사진, 배송지(받는 분, 연락처, 우편번호, 주소), 정산 계좌(암호화 저장), 대학 이메일. 이용 중: 결제 기록, 시청 기록, 접속 IP.</p>
<h2>2. 이용 목적</h2>
<p>회원 관리와 본인 확인, 작품 제공과 결제·환불, 후원 리워드 발송, 제작자 정산, 부정 이용 방지, 그리고 동의한 경우에 한해 소식과 이벤트 안내.</p>
<h2>3. 보유 기간</h2>
<p>탈퇴하면 바로 지웁니다. 다만 전자상거래법에 따라 계약·결제 기록은 5년, 소비자 불만 기록은 3년, 접속 기록은 통신비밀보호법에 따라 3개월 동안 보관합니다.</p>
<h2>4. 제3자 제공</h2>
<p>배송이 필요한 리워드를 고른 경우, 리워드를 보내기 위해 받는 분, 연락처, 주소를 해당 프로젝트의 제작자에게 제공합니다. 제작자는 리워드 발송이 끝나면 이를 파기해야 합니다.</p>
<h2>5. 처리 위탁</h2>
<p>결제: 토스페이먼츠, Stripe. 이메일 발송과 서버 운영: 서비스가 지정한 업체.</p>
<h2>6. 회원의 권리</h2>
<p>회원은 마이페이지에서 언제든지 자신의 정보를 보고 고치고 내려받거나(JSON) 탈퇴할 수 있으며, 마케팅 이메일 수신 동의를 철회할 수 있습니다.</p>
<h2>7. 만 14세 미만 아동</h2>
<p>만 14세 미만 아동의 가입은 받지 않습니다.</p>
<h2>8. 개인정보 보호책임자</h2>
<p>개인정보와 관련한 문의는 서비스 운영자에게 이메일로 보내 주세요.</p>
"""

PRIVACY_EN = """
<h2>1. What we collect</h2>
<p>When you join: your e-mail address, password (stored hashed), display name, when you agreed to the terms and this policy and which versions, your confirmation that you are 14 or older, and whether you want marketing e-mail. If you add them: department, student year, avatar, shipping address (recipient, phone, postcode, address), payout account (stored encrypted), university e-mail. While you use the service: payments, viewing history and IP addresses.</p>
<h2>2. Why</h2>
<p>To run your account and confirm it is you, to show you films and handle payments and refunds, to send rewards, to pay creators, to prevent abuse, and, only if you agreed, to tell you about news and events.</p>
<h2>3. How long</h2>
<p>Until you delete your account. Korean e-commerce law makes us keep contract and payment records for 5 years and complaint records for 3 years; access logs are kept for 3 months.</p>
<h2>4. Sharing</h2>
<p>When you choose a reward that is shipped, the recipient, phone number and address go to that project's creator so they can send it. Creators must destroy them once the reward is sent.</p>
<h2>5. Processors</h2>
<p>Payments: Toss Payments, Stripe. E-mail delivery and hosting: providers the service appoints.</p>
<h2>6. Your rights</h2>
<p>On your page you can see, correct and download (JSON) your data, delete your account, and withdraw your consent to marketing e-mail at any time.</p>
<h2>7. Children under 14</h2>
<p>We do not accept members under 14.</p>
<h2>8. Contact</h2>
<p>Send questions about your personal data to the site's operator by e-mail.</p>
"""

PAGES = [
    ("terms", "terms", "이용약관", "Terms of service", TERMS_KO, TERMS_EN),
    ("privacy", "privacy", "개인정보 처리방침", "Privacy policy", PRIVACY_KO, PRIVACY_EN),
]


def _next_child_path(parent, Page) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEP:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(STEP, "0")


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("home.HomePage")
    LegalPage = apps.get_model("legal.LegalPage")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="legal", model="legalpage")
    now = timezone.now()
    for kind, slug, title, title_en, body, body_en in PAGES:
        if LegalPage.objects.filter(kind=kind).exists() or Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1, slug=slug
        ).exists():
            continue
        LegalPage.objects.create(
            title=title, draft_title=title, slug=slug, content_type=content_type,
            path=_next_child_path(home, Page), depth=home.depth + 1, numchild=0,
            url_path=f"{home.url_path}{slug}/", live=True, first_published_at=now, last_published_at=now,
            locale_id=home.locale_id, translation_key=uuid.uuid4(),
            kind=kind, version=VERSION, title_en=title_en, body=body.strip(), body_en=body_en.strip(),
        )  # fmt: skip
        Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1
        ).count())  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_legal_page"),
        ("home", "0002_create_site_tree"),
    ]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
