from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recruitment"
    verbose_name = "채용공고"

    def ready(self):
        from boards.registry import Board, register

        from .models import RecruitmentPost

        register(Board(
            slug="recruitment", name="채용공고", model=RecruitmentPost,
            description="금천구의 채용 공고와 합격자 발표입니다.",
            detail_fields_template="recruitment/_detail_fields.html",
            list_badge_template="recruitment/_list_badge.html",
        ))
