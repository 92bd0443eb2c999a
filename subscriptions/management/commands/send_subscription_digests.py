from django.core.management.base import BaseCommand

from subscriptions.sending import send_digests


class Command(BaseCommand):
    help = "‘하루 한 번 모아서’ 받는 구독자에게 모아 둔 새 글을 한 통씩 보냅니다(매일 한 번 실행하도록 예약하세요)."

    def handle(self, *args, **options):
        mails, posts = send_digests()
        self.stdout.write(f"모음 메일 {mails}통(새 글 {posts}건)을 보냈습니다.")
