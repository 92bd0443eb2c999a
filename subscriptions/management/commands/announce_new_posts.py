from django.core.management.base import BaseCommand

from subscriptions.announcing import announce


class Command(BaseCommand):
    help = "공개된 새 글을 이메일 알림 구독자에게 알립니다(매분 실행하도록 예약하세요). 한 글은 한 번만 알립니다."

    def handle(self, *args, **options):
        posts, deliveries = announce()
        self.stdout.write(f"새 글 {posts}건을 알리고 알림 {deliveries}건을 보낼 차례에 넣었습니다.")
