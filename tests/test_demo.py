"""The demo content command (load_demo) and the first-administrator command (ensure_staff)."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.contrib.auth import get_user_model
from django.core.management import call_command

from boards.models import Department
from boards.richtext import sanitize_html
from contracts.models import ContractNotice
from home.demo import seed_items
from home.models import HeroBanner, QuickLink
from notices.models import Notice, NoticeAttachment
from press.models import PressAttachment, PressPhoto, PressRelease
from recruitment.models import RecruitmentAttachment, RecruitmentPost
from tourism.models import CultureTrail, TrailStop

KST = ZoneInfo("Asia/Seoul")
DEMO_MODELS = [
    Department, Notice, NoticeAttachment, RecruitmentPost, RecruitmentAttachment, ContractNotice,
    PressRelease, PressPhoto, PressAttachment, CultureTrail, TrailStop, HeroBanner, QuickLink,
]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def ensure_staff():
    out = io.StringIO()
    call_command("ensure_staff", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every demo model, all field values, in primary-key order."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in DEMO_MODELS}


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_load_demo_runs_and_reports_in_korean(media_root):
    output = load_demo()
    assert "데모 콘텐츠: 금천소식 5건, 고시공고 5건, 채용공고 5건, 소액수의 계약 4건, 보도자료 5건" in output
    assert "새 파일 30개" in output
    # Files go to MEDIA_ROOT (here a temporary folder), under generated names.
    assert len(stored_files(media_root)) == 30


@pytest.mark.django_db
def test_running_twice_changes_nothing(media_root):
    load_demo()
    before, files_before = snapshot(), stored_files(media_root)

    output = load_demo()

    assert "새로 만든 항목 0개, 고친 항목 0개, 새 파일 0개" in output
    after = snapshot()
    counts = {name: len(rows) for name, rows in before.items()}
    assert {name: len(rows) for name, rows in after.items()} == counts
    assert after == before  # same rows, same values, updated_at included: nothing was re-saved
    assert stored_files(media_root) == files_before


@pytest.mark.django_db
def test_running_again_restores_edited_demo_values(media_root):
    load_demo()
    post = Notice.objects.get(title="공인 폐기 및 재교부 공고")
    original_body = post.body
    post.body = "<p>바뀐 본문</p>"
    post.is_published = False
    post.save()

    output = load_demo()

    post.refresh_from_db()
    assert post.body == original_body
    assert post.is_published
    assert "고친 항목 1개" in output
    assert post.attachments.count() == 1  # its 붙임 was not added again


@pytest.mark.django_db
def test_every_seed_title_is_loaded_verbatim(media_root):
    load_demo()
    for title in [
        "제5기 시흥4동 주민자치회 임원(회장,부회장) 당선자 공고",
        "2025년 하반기 가산동 자치회관 프로그램 수입 및 지출내용 공개",
        "자동차관리법(이륜차) 위반 과태료 부과 고지서 공시송달 공고",
        "2026년 지역사회서비스투자사업 '영유아발달지원서비스' 대상자 2차 모집 공고",
    ]:
        assert Notice.objects.filter(title=title).exists(), title
    for title in [
        "2026년 아동복지교사[기간제근로자]추가채용 재공고",
        "서울특별시 금천구 보건소 모자보건사업 기간제근로자 채용 공고",
    ]:
        assert RecruitmentPost.objects.filter(title=title).exists(), title
    for title in [
        "설 명절 앞두고 소비 ‘땡겨요’... 금천구, 땡겨요상품권 4억 원 발행",
        "금천구, “기초생활보장 탈락 가구도 챙긴다”",
        "“배움이 일상”… 금천평생학습관, 평생학습 운영기관으로 본격 도약",
    ]:
        assert PressRelease.objects.filter(title=title).exists(), title
    loaded = {
        *Notice.objects.values_list("title", flat=True),
        *RecruitmentPost.objects.values_list("title", flat=True),
        *PressRelease.objects.values_list("title", flat=True),
    }
    seed = seed_items.NEWS + seed_items.NOTICES + seed_items.RECRUITMENT + seed_items.PRESS
    assert loaded == {item["title"] for item in seed}


@pytest.mark.django_db
def test_five_per_board_all_public_newest_first_in_seed_order(media_root):
    load_demo()
    boards = [
        (Notice.objects.filter(kind="news"), seed_items.NEWS),
        (Notice.objects.filter(kind="notice"), seed_items.NOTICES),
        (RecruitmentPost.objects.all(), seed_items.RECRUITMENT),
        (PressRelease.objects.all(), seed_items.PRESS),
    ]
    for queryset, items in boards:
        assert queryset.count() == 5
        assert queryset.published().count() == 5
        assert list(queryset.published().latest_first().values_list("title", flat=True)) == [
            item["title"] for item in items
        ]
    assert ContractNotice.objects.published().count() == 4
    for post in [*Notice.objects.all(), *RecruitmentPost.objects.all(), *PressRelease.objects.all()]:
        local = post.published_at.astimezone(KST)
        assert datetime.date(2026, 1, 20) <= local.date() <= datetime.date(2026, 2, 10), post.title


@pytest.mark.django_db
def test_bodies_are_sanitised_html_paragraphs(media_root):
    load_demo()
    press = PressRelease.objects.get(title__startswith="설 명절 앞두고")
    assert press.body.startswith("<p>금천구(구청장 유성훈)는 2월 3일 오전 10시부터")
    assert press.body == sanitize_html(press.body)
    assert "서울페이플러스" in press.body_text
    notice = Notice.objects.get(title="공인 폐기 및 재교부 공고")
    assert "<p>1. 공고기간 : 2026. 1. 30. ~ 2026. 2. 8.</p>" in notice.body


@pytest.mark.django_db
def test_notice_numbers_periods_and_departments(media_root):
    load_demo()
    notices = Notice.objects.filter(kind="notice")
    assert sorted(notices.values_list("number_seq", flat=True)) == [101, 102, 103, 104, 105]
    assert set(notices.values_list("notice_type", "number_year")) == {("gonggo", 2026)}
    seal = notices.get(title="공인 폐기 및 재교부 공고")
    assert (seal.period_start, seal.period_end) == (datetime.date(2026, 1, 30), datetime.date(2026, 2, 8))
    assert seal.department.name == "독산2동주민센터"
    assert not Notice.objects.filter(kind="news").exclude(number_seq=None).exists()

    committee = Notice.objects.get(title="제5기 독산1동 주민자치회 위원 인적사항 공고")
    assert committee.department.phone == "02-2104-5562"
    assert committee.phone == "02-2104-5562~3"


@pytest.mark.django_db
def test_recruitment_kinds_and_application_period(media_root):
    load_demo()
    doctor = RecruitmentPost.objects.get(title="금천구보건소 기간제근로자(건강관리의사) 채용 재공고")
    assert doctor.kind == "repost"
    assert doctor.field_name == "건강관리의사"
    assert doctor.headcount == 1
    assert doctor.apply_start == datetime.datetime(2026, 1, 28, 9, 0, tzinfo=KST)
    assert doctor.apply_end == datetime.datetime(2026, 2, 6, 18, 0, tzinfo=KST)
    assert doctor.status == "closed"
    assert set(RecruitmentPost.objects.filter(title__contains="최종합격자").values_list("kind", flat=True)) == {
        "result"
    }
    teacher = RecruitmentPost.objects.get(title="2026년 아동복지교사[기간제근로자]추가채용 재공고")
    assert (teacher.kind, teacher.headcount, teacher.department.name) == ("repost", 2, "아동청소년과")


@pytest.mark.django_db
def test_press_subtitles_contacts_and_photos(media_root):
    load_demo()
    voucher = PressRelease.objects.get(title__startswith="설 명절 앞두고")
    assert voucher.subtitle_lines == [
        "2월 3일 오전 10시부터 서울페이플러스 앱에서 구매 가능",
        "2월 10일부터 3월 18일까지 땡겨요 앱 결제 후 소감 남기면 환급",
    ]
    assert (voucher.department.name, voucher.department.phone) == ("지역경제과", "02-2627-1316")
    loans = PressRelease.objects.get(title__startswith="금천구, 최저금리로")
    assert (loans.department.name, loans.phone) == ("지역경제과", "02-2627-2228")
    for release in PressRelease.objects.all():
        photos = list(release.photos.all())
        assert len(photos) == 1
        assert photos[0].alt.strip()
        with photos[0].image.open("rb") as image:
            assert image.read(3) == b"\xff\xd8\xff"  # a real JPEG


@pytest.mark.django_db
def test_attachments_have_korean_names_and_real_content(media_root):
    load_demo()
    attachment = NoticeAttachment.objects.get(post__title="제5기 시흥4동 주민자치회 임원(회장,부회장) 당선자 공고")
    assert attachment.original_name == "시흥4동 임원(회장,부회장) 당선자 공고.pdf"
    assert "시흥4동" not in attachment.file.name  # stored under a generated name
    with attachment.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert attachment.size == len(data)

    minutes = NoticeAttachment.objects.get(original_name="1월 정기회의자료.txt")
    with minutes.file.open("rb") as handle:
        assert "시흥1동 주민자치회 2026년 1월 정기회의" in handle.read().decode("utf-8")
    assert RecruitmentAttachment.objects.filter(post__title__contains="건강관리의사").count() == 2


@pytest.mark.django_db
def test_contracts_are_marked_as_examples(media_root):
    load_demo()
    contracts = ContractNotice.objects.all()
    assert contracts.count() == 4
    for contract in contracts:
        assert contract.contractor_name.startswith("(예시)")
        assert contract.amount < 20_000_000
        assert "○○" in contract.contractor_representative
        assert contract.contractor_address.startswith("서울특별시 금천구")
        assert "지방자치단체를 당사자로 하는 계약에 관한 법률 시행령」 제25조" in contract.legal_basis
        assert contract.term_start <= contract.term_end


@pytest.mark.django_db
def test_trails_banners_and_quick_links(media_root):
    load_demo()
    assert list(CultureTrail.objects.published().values_list("slug", flat=True)) == [
        "hoamsan", "siheung", "fashion-it",
    ]
    hoamsan = CultureTrail.objects.get(slug="hoamsan")
    assert hoamsan.name == "호암산 역사문화길"
    assert "호압사" in hoamsan.story and hoamsan.image_alt
    assert list(hoamsan.stops.values_list("name", flat=True))[:1] == ["호압사"]
    for trail in CultureTrail.objects.all():
        assert 4 <= trail.stops.count() <= 6
        assert list(trail.stops.values_list("order", flat=True)) == list(range(1, trail.stops.count() + 1))
    assert TrailStop.objects.count() == 15

    banners = HeroBanner.objects.current()
    assert banners.count() == 3
    assert {banner.link_url for banner in banners} == {"/news/", "/recruitment/", "/trails/"}
    for banner in banners:
        assert banner.image_alt
        with banner.image.open("rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"

    gohyang = QuickLink.objects.current().get(title="고향사랑기부제")
    assert gohyang.link_url == "https://ilovegohyang.go.kr/"
    assert gohyang.opens_new_window is True
    assert QuickLink.objects.current().count() >= 4


@pytest.mark.django_db
def test_ensure_staff_prints_the_password_only_once():
    first = ensure_staff()
    match = re.search(r"비밀번호: (\S+)", first)
    assert match, first
    password = match.group(1)
    assert "http://127.0.0.1:8000/admin/" in first
    assert "아이디: admin" in first
    assert "otpauth://totp/" in first and "manage.py totp_code admin" in first
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password) and user.is_superuser and user.is_staff
    assert len(password) >= 20
    assert user.staff_profile.role == "manager"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    codes = re.search(r"복구 코드\(한 번씩만 쓸 수 있음\): (.+)", first).group(1).split()
    assert len(codes) == 10 and all(not code.isdigit() for code in codes)

    second = ensure_staff()
    assert password not in second and "otpauth://" not in second
    assert "이미 있습니다" in second
    assert "totp_code admin" in second and "--reset-credentials" in second
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_staff_leaves_an_existing_superuser_alone():
    get_user_model().objects.create_superuser("manager", email="", password="an-old-long-password")
    output = ensure_staff()
    assert "manager" in output and "비밀번호:" not in output
    assert not get_user_model().objects.filter(username="admin").exists()
