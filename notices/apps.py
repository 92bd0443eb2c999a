# Imported as a module: a second AppConfig class in this namespace would hide ours from Django.
from boards import apps as boards_apps


class NoticesConfig(boards_apps.BoardAppConfig):
    name = "notices"
    verbose_name = "금천소식·고시공고"
    boards = [
        {"model": "Notice", "slug": "news", "name": "금천소식", "filters": {"kind": "news"},
         "description": "금천구 동 주민센터와 부서의 소식을 알려 드립니다."},
        {"model": "Notice", "slug": "notices", "name": "고시공고", "filters": {"kind": "notice"},
         "description": "금천구의 고시와 공고입니다.", "review": True},
    ]
