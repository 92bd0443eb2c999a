# Imported as a module: a second AppConfig class in this namespace would hide ours from Django.
from boards import apps as boards_apps


class RecruitmentConfig(boards_apps.BoardAppConfig):
    name = "recruitment"
    verbose_name = "채용공고"
    boards = [{"model": "RecruitmentPost", "slug": "recruitment", "name": "채용공고",
               "description": "금천구의 채용 공고와 합격자 발표입니다.", "review": True,
               "post_schema": "recruitment.structured_data.job_posting"}]
