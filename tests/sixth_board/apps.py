# Imported as a module: a second AppConfig class in this namespace would hide ours from Django.
from boards import apps as boards_apps


class SixthBoardConfig(boards_apps.BoardAppConfig):
    name = "tests.sixth_board"
    label = "sixth_board"
    verbose_name = "회의록"
    boards = [{"model": "Minutes", "slug": "minutes", "name": "회의록", "description": "각종 위원회 회의록입니다."}]
