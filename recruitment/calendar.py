"""채용공고 접수 일정 달력 (/recruitment/calendar.ics): 접수 시작 and 접수 마감 of each public posting.

Postings from the last year by 게시일시, and any whose 접수 starts within that year or later
(an upcoming 접수 of an older posting too). Both halves of the filter are index ranges: the
board's list index (is_published, published_at) and recruitment_apply_period (apply_start).
"""

from django.db.models import Q

from boards.calendars import Mark, board_feed, format_moment, post_event, window_start

NAME = "금천구청 채용공고 접수 일정"
DESCRIPTION = "서울특별시 금천구청 채용공고의 접수 시작과 접수 마감 일정입니다."


def calendar_posts(board, now):
    since = window_start(now)
    return (
        board.posts().published(now)
        .filter(Q(published_at__gte=since) | Q(apply_start__gte=since), apply_start__isnull=False)
        .select_related("department")
        .order_by("apply_start", "id")
    )


def post_events(board, post):
    period = f"{format_moment(post.apply_start)} ~ {format_moment(post.apply_end)}"
    details = [("접수기간", period), ("채용분야", post.field_name),
               ("채용인원", f"{post.headcount}명" if post.headcount else "")]
    marks = [Mark("start", "접수 시작", post.apply_start), Mark("end", "접수 마감", post.apply_end)]
    return [post_event(board, post, mark, details) for mark in marks]


feed = board_feed("recruitment", name=NAME, description=DESCRIPTION, posts=calendar_posts, events=post_events,
                  url_name="recruitment:calendar")
