# Imported as a module: a second AppConfig class in this namespace would hide ours from Django.
from boards import apps as boards_apps


class PressConfig(boards_apps.BoardAppConfig):
    name = "press"
    verbose_name = "보도자료"
    boards = [{"model": "PressRelease", "slug": "press", "name": "보도자료",
               "description": "금천구가 언론에 배포한 보도자료입니다."}]
