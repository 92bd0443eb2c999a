"""고시공고 공고기간 달력 (/notices/calendar.ics): the start and end of each public 고시·공고's 공고기간.

고시공고 of the last year by 게시일시: one index range on notices_kind_list (kind, is_published,
published_at). 공고기간 are dates, so the events are all-day.
"""

from django.db.models import Q

from boards.calendars import Mark, board_feed, format_moment, post_event, window_start

NAME = "금천구청 고시공고 공고기간 일정"
DESCRIPTION = "서울특별시 금천구청 고시공고의 공고기간 시작일과 마감일입니다."


def calendar_posts(board, now):
    return (
        board.posts().published(now)
        .filter(published_at__gte=window_start(now))
        .filter(Q(period_start__isnull=False) | Q(period_end__isnull=False))
        .select_related("department")
        .order_by("published_at", "id")
    )


def post_events(board, post):
    period = f"{format_moment(post.period_start)} ~ {format_moment(post.period_end)}"
    details = [("공고번호", post.number), ("공고기간", period)]
    marks = [Mark("start", "공고 시작", post.period_start), Mark("end", "공고 마감", post.period_end)]
    return [post_event(board, post, mark, details) for mark in marks if mark.moment]


feed = board_feed("notices", name=NAME, description=DESCRIPTION, posts=calendar_posts, events=post_events,
                  url_name="notices:calendar")
