"""Read every stored 붙임 again with today's extractor (after an upgrade that changes what it reads)."""

from django.core.management.base import BaseCommand

from boards import registry
from boards.pagecache import bump_content_version
from files import extract



class Command(BaseCommand):
    help = (
        "저장된 붙임을 지금의 추출기로 다시 읽습니다(숨긴 시트·메모 같은 숨은 내용을 바로보기·검색에서 빼고, "
        "내용을 확인하지 못한 파일을 표시). 수정 이력은 남기지 않습니다."
    )

    def handle(self, *args, **options):
        total = 0
        for model in registry.attachment_models():
            rows = model.objects.exclude(file="").only("pk", "file", "original_name", "size")
            for attachment in rows.iterator(chunk_size=200):
                try:
                    with attachment.file.open("rb") as stored:
                        attachment.store_extracted(extract.extract_text(stored, attachment.original_name))
                except FileNotFoundError:
                    self.stderr.write(f"파일 없음: {model._meta.label} {attachment.pk} {attachment.original_name}")
                    continue
                # update(): the same file read again is no new revision of the post.
                read = {name: getattr(attachment, name) for name in attachment.READ_FROM_FILE}
                model.objects.filter(pk=attachment.pk).update(**read)
                total += 1
        bump_content_version()
        self.stdout.write(f"붙임 {total}개를 다시 읽었습니다.")
