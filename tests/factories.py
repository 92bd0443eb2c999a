"""factory_boy factories for every content model."""

import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from boards.models import Department
from contracts.models import ContractAttachment, ContractNotice
from home.models import HeroBanner, QuickLink
from notices.models import Notice, NoticeAttachment
from press.models import PressAttachment, PressPhoto, PressRelease
from recruitment.models import RecruitmentAttachment, RecruitmentPost
from tourism.models import CultureTrail, TrailStop


def png_bytes(size=(8, 8), color=(37, 110, 244)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"테스트{n}과")
    phone = "02-2627-1316"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"테스트 게시글 {n}")
    body = "<p>본문입니다.</p>"
    department = factory.SubFactory(DepartmentFactory)
    published_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=1, minutes=n))
    is_published = True


class NewsFactory(PostFactory):
    class Meta:
        model = Notice

    kind = Notice.Kind.NEWS


class NoticeFactory(PostFactory):
    class Meta:
        model = Notice

    kind = Notice.Kind.NOTICE
    notice_type = Notice.NoticeType.GONGGO


class RecruitmentFactory(PostFactory):
    class Meta:
        model = RecruitmentPost

    field_name = "기간제근로자"
    headcount = 1


class ContractFactory(PostFactory):
    class Meta:
        model = ContractNotice

    method = ContractNotice.Method.SINGLE_QUOTE
    amount = 12_000_000
    contract_date = datetime.date(2026, 1, 5)
    term_start = datetime.date(2026, 1, 6)
    term_end = datetime.date(2026, 3, 31)
    contractor_name = "(예시) 금천상사"
    contractor_representative = "홍길동"
    contractor_address = "서울특별시 금천구 가산디지털1로 1"
    reason = "추정가격 2천만 원 이하 물품 구매"
    legal_basis = "지방계약법 시행령 제25조제1항제5호"


class PressFactory(PostFactory):
    class Meta:
        model = PressRelease

    subtitle = "- 부제 한 줄 -"


def _attachment_factory(model, post_factory):
    return type(
        f"{model.__name__}Factory",
        (factory.django.DjangoModelFactory,),
        {
            "Meta": type("Meta", (), {"model": model}),
            "post": factory.SubFactory(post_factory),
            "file": factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%test\n", name="공고문.pdf")),
        },
    )


NoticeAttachmentFactory = _attachment_factory(NoticeAttachment, NoticeFactory)
RecruitmentAttachmentFactory = _attachment_factory(RecruitmentAttachment, RecruitmentFactory)
ContractAttachmentFactory = _attachment_factory(ContractAttachment, ContractFactory)
PressAttachmentFactory = _attachment_factory(PressAttachment, PressFactory)


class PressPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressPhoto

    post = factory.SubFactory(PressFactory)
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="photo.png"))
    alt = "설명회에 참석한 주민들"


class CultureTrailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CultureTrail

    name = factory.Sequence(lambda n: f"테스트 길 {n}")
    slug = factory.Sequence(lambda n: f"trail-{n}")
    summary = "한 줄 소개"
    story = "<p>이야기</p>"
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="trail.png"))
    image_alt = "길 풍경"


class TrailStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrailStop

    trail = factory.SubFactory(CultureTrailFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"지점 {n}")


class HeroBannerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeroBanner

    title = factory.Sequence(lambda n: f"배너 {n}")
    link_url = "/news/"
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="banner.png"))
    image_alt = "배너 설명"
    display_start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class QuickLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuickLink

    title = "고향사랑기부제"
    link_url = "https://ilovegohyang.go.kr/"
    opens_new_window = True
    icon = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="icon.png"))
    display_start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


# The five boards by URL slug, for tests parametrised over every board.
BOARD_SLUGS = ["news", "notices", "recruitment", "contracts", "press"]

POST_FACTORIES = {
    "news": NewsFactory,
    "notices": NoticeFactory,
    "recruitment": RecruitmentFactory,
    "contracts": ContractFactory,
    "press": PressFactory,
}

ATTACHMENT_FACTORIES = {
    "news": NoticeAttachmentFactory,
    "notices": NoticeAttachmentFactory,
    "recruitment": RecruitmentAttachmentFactory,
    "contracts": ContractAttachmentFactory,
    "press": PressAttachmentFactory,
}


def make_post(slug, **kwargs):
    """A post on the board ``slug`` (news and notices share one model)."""
    return POST_FACTORIES[slug](**kwargs)


def make_attachment(post, **kwargs):
    """A 붙임 on ``post``, of the attachment model its board uses."""
    return ATTACHMENT_FACTORIES[post.board_slug](post=post, **kwargs)



def sitemap_documents(client):
    """The parsed XML of every section listed in the sitemap index."""
    import xml.etree.ElementTree as ET
    from urllib.parse import urlsplit

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = ET.fromstring(index.content).findall("sm:sitemap/sm:loc", SITEMAP_NS)
    documents = []
    for url in (urlsplit(loc.text) for loc in locations):
        response = client.get(url.path + (f"?{url.query}" if url.query else ""))
        assert response.status_code == 200
        documents.append(ET.fromstring(response.content))
    return documents


def sitemap_urls(client):
    """(loc, lastmod) of every URL in every sitemap section."""
    return [
        (url.findtext("sm:loc", namespaces=SITEMAP_NS), url.findtext("sm:lastmod", namespaces=SITEMAP_NS))
        for document in sitemap_documents(client)
        for url in document.findall("sm:url", SITEMAP_NS)
    ]


def sitemap_content(client):
    """All sections' URLs as one string, for plain ``in`` checks."""
    return "\n".join(f"<loc>{loc}</loc>" for loc, _ in sitemap_urls(client))


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
