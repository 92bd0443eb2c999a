"""Load the demo content transcribed from the district home page.

Safe to run again: every row is found by its natural key and brought to the seed's
values (saved only when something differs), and files are generated only for rows
that have none, so a second run changes nothing.
"""

from html import escape

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from boards.models import Department, Post
from contracts.models import ContractNotice
from home.demo import images
from home.demo import seed_items as seed
from home.models import HeroBanner, QuickLink
from notices.models import Notice, NoticeAttachment
from privacy.publishing import publish
from press.models import PressAttachment, PressPhoto, PressRelease
from recruitment.models import RecruitmentAttachment, RecruitmentPost
from tourism.models import CultureTrail, TrailStop

DEMO_CAPTION = "누리집 시연을 위한 예시 이미지입니다."


def _paragraph(item):
    """A seed paragraph: plain text, or ``(style, text)``."""
    return item if isinstance(item, tuple) else ("", item)


def paragraphs_html(paragraphs):
    """Seed paragraphs as editor HTML: one <p> each, line breaks kept as <br>."""
    parts = []
    for style, text in map(_paragraph, paragraphs):
        inner = "<br>".join(escape(line, quote=False) for line in text.split("\n"))
        parts.append(f"<p><strong>{inner}</strong></p>" if style == "strong" else f"<p>{inner}</p>")
    return "".join(parts)


def paragraphs_text(paragraphs):
    return [text for _, text in map(_paragraph, paragraphs)]


class Loader:
    def __init__(self):
        self.created = self.changed = self.files = 0
        self.departments = {}

    def upsert(self, model, lookup, values, new_files=None):
        """Bring the row found by ``lookup`` to ``values``, validated.

        ``new_files`` maps file fields to functions making their content; they are
        called only when the row is created, so existing files are never replaced.
        """
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **{name: make() for name, make in (new_files or {}).items()})
            self.files += len(new_files or {})
        before = _state(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()  # also sanitises rich text, so the comparison below sees stored form
        if created or _state(obj) != before:
            # Posts go through the one write path every post takes (개인정보 screening).
            publish(obj) if isinstance(obj, Post) else obj.save()
            if created:
                self.created += 1
            else:
                self.changed += 1
        return obj

    def add_file_row(self, model, **fields):
        """Create one row holding a new file (photo)."""
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        self.created += 1
        self.files += 1
        return obj

    # --- boards -----------------------------------------------------------------

    def load_departments(self):
        for name, phone, order in seed.DEPARTMENTS:
            self.departments[name] = self.upsert(Department, {"name": name}, {"phone": phone, "order": order})

    def post_values(self, item):
        return {
            "body": paragraphs_html(item["body"]),
            "department": self.departments[item["department"]],
            "contact": item.get("contact", ""),
            "published_at": item["published_at"],
            "is_published": True,
        }

    def attach(self, post, attachment_model, item):
        if not item.get("attachments") or post.attachments.exists():
            return
        rows = []
        for order, name in enumerate(item["attachments"]):
            if name.endswith(".pdf"):
                data = images.document_pdf(title=name.rsplit(".", 1)[0], subject=item["title"])
            else:
                data = images.text_document(title=item["title"], paragraphs=paragraphs_text(item["body"]))
            row = attachment_model(post=post, order=order, file=ContentFile(data, name=name))
            row.full_clean()
            rows.append(row)
        # The post's 붙임 are screened with it before they are stored (privacy/publishing.py).
        publish(post, write=lambda: [row.save() for row in rows], new_files=[row.screened_file() for row in rows])
        self.created += len(rows)
        self.files += len(rows)

    def load_notices(self):
        for kind, items in ((Notice.Kind.NEWS, seed.NEWS), (Notice.Kind.NOTICE, seed.NOTICES)):
            for item in items:
                period_start, period_end = item.get("period", (None, None))
                seq = item.get("number_seq")
                post = self.upsert(Notice, {"title": item["title"], "kind": kind}, {
                    **self.post_values(item),
                    "notice_type": item.get("notice_type", ""),
                    "number_year": item["published_at"].year if seq else None,
                    "number_seq": seq,
                    "period_start": period_start,
                    "period_end": period_end,
                })
                self.attach(post, NoticeAttachment, item)

    def load_recruitment(self):
        for item in seed.RECRUITMENT:
            apply_start, apply_end = item.get("apply", (None, None))
            post = self.upsert(RecruitmentPost, {"title": item["title"]}, {
                **self.post_values(item),
                "kind": item["kind"],
                "field_name": item["field_name"],
                "headcount": item.get("headcount"),
                "apply_start": apply_start,
                "apply_end": apply_end,
            })
            self.attach(post, RecruitmentAttachment, item)

    def load_contracts(self):
        for item in seed.CONTRACTS:
            body = [f"「{item['title']}」 소액수의 계약 내용을 다음과 같이 공개합니다.", seed.CONTRACT_NOTE]
            term_start, term_end = item["term"]
            self.upsert(ContractNotice, {"title": item["title"]}, {
                **self.post_values({**item, "body": body}),
                "method": item["method"],
                "amount": item["amount"],
                "contract_date": item["contract_date"],
                "term_start": term_start,
                "term_end": term_end,
                "contractor_name": item["contractor_name"],
                "contractor_representative": item["contractor_representative"],
                "contractor_address": item["contractor_address"],
                "reason": item["reason"],
                "legal_basis": seed.CONTRACT_BASIS,
            })

    def load_press(self):
        for index, item in enumerate(seed.PRESS):
            post = self.upsert(PressRelease, {"title": item["title"]}, {
                **self.post_values(item),
                "subtitle": "\n".join(item["subtitle"]),
            })
            self.attach(post, PressAttachment, item)
            if not post.photos.exists():
                photo = ContentFile(images.press_photo_jpeg(index), name=f"press-photo-{index + 1}.jpg")
                self.add_file_row(
                    PressPhoto, post=post, image=photo, alt=item["photo_alt"], caption=DEMO_CAPTION, order=0
                )

    # --- tourism and home -------------------------------------------------------------

    def load_trails(self):
        for order, item in enumerate(seed.TRAILS, start=1):
            trail = self.upsert(
                CultureTrail,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "summary": item["summary"],
                    "story": paragraphs_html(item["story"]),
                    "image_alt": item["image_alt"],
                    "distance_km": item["distance_km"],
                    "duration_minutes": item["duration_minutes"],
                    "department": self.departments[seed.TRAIL_DEPARTMENT],
                    "contact": seed.TRAIL_CONTACT,
                    "order": order,
                    "is_published": True,
                },
                new_files={"image": _file(images.trail_png, item["slug"], name=f"{item['slug']}.png")},
            )
            for stop_order, (name, description) in enumerate(item["stops"], start=1):
                lookup = {"trail": trail, "order": stop_order}
                self.upsert(TrailStop, lookup, {"name": name, "description": description})

    def load_home(self):
        for variant, item in enumerate(seed.BANNERS):
            order = variant + 1
            self.upsert(
                HeroBanner,
                {"title": item["title"]},
                {
                    **self._display_values(order, opens_new_window=False),
                    "description": item["description"],
                    "link_url": item["link_url"],
                    "image_alt": item["image_alt"],
                },
                new_files={"image": _file(images.banner_png, variant, name=f"banner-{order}.png")},
            )
        for order, item in enumerate(seed.QUICK_LINKS, start=1):
            self.upsert(
                QuickLink,
                {"title": item["title"]},
                {**self._display_values(order, opens_new_window=True), "link_url": item["link_url"]},
                new_files={"icon": _file(images.icon_png, item["icon"], name=f"{item['icon']}.png")},
            )

    @staticmethod
    def _display_values(order, *, opens_new_window):
        return {
            "order": order,
            "opens_new_window": opens_new_window,
            "display_start": seed.DISPLAY_FROM,
            "display_end": None,
            "is_active": True,
        }

    def load_all(self):
        self.load_departments()
        self.load_notices()
        self.load_recruitment()
        self.load_contracts()
        self.load_press()
        self.load_trails()
        self.load_home()


def _file(generate, argument, *, name):
    return lambda: ContentFile(generate(argument), name=name)


def _state(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


class Command(BaseCommand):
    help = "금천구청 누리집 첫 화면의 실제 게시물로 데모 콘텐츠를 넣습니다(여러 번 실행해도 같은 결과)."

    def handle(self, *args, **options):
        loader = Loader()
        try:
            with transaction.atomic():
                loader.load_all()
        except ValidationError as error:
            raise CommandError(f"데모 콘텐츠를 넣지 못했습니다: {error}") from error

        stops = sum(len(trail["stops"]) for trail in seed.TRAILS)
        self.stdout.write(self.style.SUCCESS(
            f"데모 콘텐츠: 금천소식 {len(seed.NEWS)}건, 고시공고 {len(seed.NOTICES)}건, "
            f"채용공고 {len(seed.RECRUITMENT)}건, 소액수의 계약 {len(seed.CONTRACTS)}건, "
            f"보도자료 {len(seed.PRESS)}건, 문화관광 길 {len(seed.TRAILS)}곳(코스 지점 {stops}곳), "
            f"비주얼 배너 {len(seed.BANNERS)}개, 바로가기 {len(seed.QUICK_LINKS)}개, "
            f"부서 {len(seed.DEPARTMENTS)}곳."
        ))
        self.stdout.write(
            f"새로 만든 항목 {loader.created}개, 고친 항목 {loader.changed}개, 새 파일 {loader.files}개."
        )
