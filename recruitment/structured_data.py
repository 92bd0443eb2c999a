"""schema.org JobPosting for a 채용공고 page (Google's job search reads it).

Google asks for title, description, datePosted, hiringOrganization and jobLocation, and
recommends validThrough; a posting past its 접수 마감 keeps the markup with validThrough in
the past. 합격자 발표 is no job one can apply for, so it gets none.
"""

import re
from zoneinfo import ZoneInfo

from django.utils import timezone

from boards.site_url import absolute_url
from boards.structured_data import CONTEXT, DISTRICT_NAME, logo_url, office_address, site_home

from .models import RecruitmentPost

SEOUL = ZoneInfo("Asia/Seoul")
# 채용분야 words that say the kind of employment outright; a field naming none of them gets no
# employmentType (Google: omit what is not known). The model has no 고용형태 field of its own.
EMPLOYMENT_TYPES = (
    (re.compile("기간제|임기제|계약직"), "TEMPORARY"),
    (re.compile("인턴"), "INTERN"),
    (re.compile("시간선택제|단시간"), "PART_TIME"),
    (re.compile("(?<!비)정규직"), "FULL_TIME"),
)


def seoul_iso(moment):
    """ISO 8601 with the +09:00 offset, whatever time zone is active."""
    return timezone.localtime(moment, SEOUL).isoformat()


def employment_type(field_name):
    """One type as a string, several as a list, none as None."""
    kinds = [kind for pattern, kind in EMPLOYMENT_TYPES if pattern.search(field_name)]
    return (kinds[0] if len(kinds) == 1 else kinds) or None


def job_posting(post):
    if post.kind == RecruitmentPost.Kind.RESULT:
        return None
    home = site_home()
    item = {
        "@context": CONTEXT,
        "@type": "JobPosting",
        # The job, not the notice's title ("2026년 … 채용 공고"), when 채용분야 names it.
        "title": post.field_name or post.title,
        "description": post.body_text or post.title,
        "datePosted": seoul_iso(post.published_at),
        "hiringOrganization": {
            "@type": "Organization", "name": DISTRICT_NAME, "url": home, "sameAs": home, "logo": logo_url(),
        },
        "jobLocation": {"@type": "Place", "address": office_address()},
        "identifier": {"@type": "PropertyValue", "name": f"{DISTRICT_NAME} 채용공고", "value": str(post.pk)},
        "directApply": False,
        "url": absolute_url(post.get_absolute_url()),
    }
    if post.apply_end:
        item["validThrough"] = seoul_iso(post.apply_end)
    if post.headcount:
        item["totalJobOpenings"] = post.headcount
    if kinds := employment_type(post.field_name):
        item["employmentType"] = kinds
    return item
