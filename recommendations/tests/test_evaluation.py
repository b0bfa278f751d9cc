"""The evaluation: seeded synthetic logs through the site's scoring, and the command that prints it."""

import pytest
from django.core.management import call_command

from members.tests.factories import UserFactory
from recommendations import evaluation
from recommendations.management.commands import evaluate_recommendations
from recommendations.tests.factories import watchable_film, watched


@pytest.fixture(scope="module")
def log():
    """A small seeded log: 800 members × 120 films, planted genre tastes."""
    return evaluation.synthetic_log(members=800, films=120, seed=1)


def test_the_synthetic_log_is_the_same_for_the_same_seed(log):
    """Seeded: two logs of seed 1 are equal, another seed differs."""
    again = evaluation.synthetic_log(members=800, films=120, seed=1)
    assert again.histories == log.histories and again.picked == log.picked
    assert evaluation.synthetic_log(members=800, films=120, seed=2).histories != log.histories


def test_hit_rate_at_ten_is_at_least_one_and_a_half_times_the_popularity_baselines(log):
    """The aim: leave-last-out hit rate @10 ≥ 1.5× the popularity baseline's, NDCG better too."""
    figures = evaluation.leave_last_out(log)
    assert figures.members > 700
    assert figures.hit_rate >= evaluation.AIM_LIFT * figures.baseline_hit_rate
    assert figures.ndcg > figures.baseline_ndcg
    assert figures.hit_rate <= evaluation.ceiling(log)


def test_a_new_member_who_picked_three_genres_gets_at_least_eight_of_ten_in_them(log):
    """Cold start, with the three least-watched genres (the most popular films are elsewhere)."""
    check = evaluation.cold_start(log, evaluation.least_watched_genres(log))
    assert check.shown == 10 and check.in_genres >= 8


@pytest.mark.django_db
def test_the_command_prints_the_figures_and_says_when_the_site_has_too_little_data(capsys):
    """Hit rate, NDCG, the baseline, the aim and the cold start; the empty test site is "not enough"."""
    call_command("evaluate_recommendations", members=300, films=80, seeds=2)
    out = capsys.readouterr().out
    assert "hit@10" in out and "aim ≥ 1.5×" in out and "Cold start" in out
    assert "Site data: not enough to measure" in out


@pytest.mark.django_db
def test_the_command_measures_the_sites_own_data_when_there_is_enough(capsys, monkeypatch):
    """Members with three films or more: their last film hidden, the same figures printed for the site."""
    monkeypatch.setattr(evaluate_recommendations, "REAL_MINIMUM_MEMBERS", 4)
    monkeypatch.setattr(evaluate_recommendations, "REAL_MINIMUM_FILMS", 5)
    films = [watchable_film() for _ in range(6)]
    for n in range(4):
        member = UserFactory()
        for film in films[n % 2 :: 2]:
            watched(member, film)
    call_command("evaluate_recommendations", members=100, films=40, seeds=1)
    out = capsys.readouterr().out
    assert "Site data: 4 members, 12 films watched, bought or backed: hit@10" in out
