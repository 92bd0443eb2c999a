"""The site's absolute address, for what is read away from the site: calendar feeds, e-mail, the open API,
schema.org markup.

Taken from ``settings.SITE_URL``, never from the request: those answers are cached for every
visitor under their path alone (boards/pagecache.py), so one visitor's Host header or scheme
must not end up in what the next one gets.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def absolute_url(path):
    """``/recruitment/3/`` → ``https://www.geumcheon.go.kr/recruitment/3/``."""
    return settings.SITE_URL.rstrip("/") + path


def check_site_url(app_configs=None, **kwargs):
    """Production with the development default would link every calendar and search result to 127.0.0.1."""
    if settings.DEBUG:
        return []
    host = urlsplit(settings.SITE_URL).hostname
    if host and host not in LOOPBACK_HOSTS:
        return []
    return [checks.Warning(
        f"SITE_URL({settings.SITE_URL})이 이 컴퓨터 주소입니다: 달력 구독, 이메일 알림, 공공데이터 API와 "
        "검색엔진용 정보(JSON-LD)의 링크가 주민에게 열리지 않습니다.",
        hint="SITE_URL=https://www.geumcheon.go.kr 처럼 누리집의 공개 주소를 넣으세요.",
        id="geumcheon.W002",
    )]
