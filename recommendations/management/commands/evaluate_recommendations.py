import statistics

from django.core.management.base import BaseCommand

from recommendations import activity, evaluation

# For the site's own figures to mean anything: members with three films or more, and watchable films.
REAL_MINIMUM_MEMBERS = 30
REAL_MINIMUM_FILMS = 20


class Command(BaseCommand):
    help = (
        "How good the recommendations are: leave-last-out hit rate and NDCG at 10 next to the popularity baseline "
        "on seeded synthetic viewing logs with planted genre tastes, the cold-start check, and the same figures "
        "on the site's own data when there is enough. Reads only; writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--films", type=int, default=300)
        parser.add_argument("--seeds", type=int, default=5, help="Synthetic logs, seeded 1, 2, …")

    def handle(self, *args, members, films, seeds, **options):
        out = self.stdout.write
        out(
            f"Synthetic viewing logs: {members:,} members × {films:,} films × 12 genres; each member likes three "
            "genres (85 % of what they watch), half of them picked theirs; leave-last-out at 10"
        )
        out(
            f"  {'seed':>4}  {'signals':>7}  {'hit@10':>7}  {'NDCG@10':>7}  {'popular':>7}  {'NDCG':>6}  {'lift':>5}  {'ceiling':>7}"
        )
        lifts, cold = [], []
        for seed in range(1, seeds + 1):
            log = evaluation.synthetic_log(members=members, films=films, seed=seed)
            figures = evaluation.leave_last_out(log)
            ceiling = evaluation.ceiling(log)
            lifts.append(figures.lift)
            out(
                f"  {seed:>4}  {log.interactions:>7,}  {figures.hit_rate:>7.3f}  {figures.ndcg:>7.3f}  "
                f"{figures.baseline_hit_rate:>7.3f}  {figures.baseline_ndcg:>6.3f}  {figures.lift:>4.2f}×  {ceiling:>7.3f}"
            )
            cold.append(evaluation.cold_start(log, evaluation.least_watched_genres(log)))
        mean = statistics.mean(lifts)
        verdict = "met" if mean >= evaluation.AIM_LIFT else "MISSED"
        out(
            f"  mean lift {mean:.2f}× (min {min(lifts):.2f}×); aim ≥ {evaluation.AIM_LIFT}× the popularity "
            f"baseline: {verdict}"
        )
        out("  (ceiling: the hit rate of an oracle that knows each member's planted genres and the films' appeal)")
        passed = sum(check.passed for check in cold)
        worst = min(check.in_genres for check in cold)
        out(
            f"Cold start: a new member who picked the three least-watched genres gets at least {worst} of 10 "
            f"recommendations in them ({passed} of {len(cold)} logs meet the aim of ≥ {evaluation.COLD_START_AIM})"
        )
        self.real_data()

    def real_data(self):
        out = self.stdout.write
        log = activity.read_viewing_log()
        evaluable = sum(1 for history in log.histories.values() if len(history) >= 3)
        if evaluable < REAL_MINIMUM_MEMBERS or len(log.recommendable) < REAL_MINIMUM_FILMS:
            out(
                f"Site data: not enough to measure ({evaluable} members with three films or more, "
                f"{len(log.recommendable)} watchable films; needs {REAL_MINIMUM_MEMBERS} and {REAL_MINIMUM_FILMS})"
            )
            return
        figures = evaluation.leave_last_out(log)
        out(
            f"Site data: {figures.members} members, {log.interactions:,} films watched, bought or backed: hit@10 "
            f"{figures.hit_rate:.3f}, NDCG@10 {figures.ndcg:.3f}; popularity {figures.baseline_hit_rate:.3f}, "
            f"{figures.baseline_ndcg:.3f}; lift {figures.lift:.2f}×"
        )
