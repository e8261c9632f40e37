"""Small corpora written for the tests (invented news, not copied from any outlet)."""

from __future__ import annotations

import random
from pathlib import Path

PLACES = ["Ruritania", "Freedonia", "Sylvania", "Latveria", "Genovia", "Elbonia", "Borduria", "Syldavia",
          "Carpania", "Zubrowka", "Osterlich", "Grand Fenwick", "Kreplachistan", "Pottsylvania"]
PEOPLE = ["Maria Kovac", "Tomas Brenner", "Lena Ostrova", "Piet Halloran", "Anika Sorel", "Davor Linde",
          "Rosa Imhoff", "Felix Arden", "Hana Vesely", "Otto Crane", "Iris Mallory", "Jonas Perl"]
ROLES = ["a council spokeswoman", "the harbour master", "a regional minister", "the festival director",
         "a union leader", "the mayor", "a railway engineer", "the museum curator"]
NOUNS = ["railway", "harvest", "flood barrier", "chess final", "port", "storm shelter", "bridge",
         "marathon", "museum", "grain market", "school", "ferry", "orchard", "tram depot", "lighthouse",
         "observatory", "vineyard", "salt mine", "dairy cooperative", "glassworks"]
VERBS = ["rebuild", "close", "inspect", "reopen", "extend", "fund", "move", "repaint", "insure", "audit"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article_text(i: int) -> str:
    """A short invented news story; each sentence slot has several forms and the words vary with
    the seed, so no two stories are near-duplicates of each other."""
    r = random.Random(i)
    place, person, role = r.choice(PLACES), r.choice(PEOPLE), r.choice(ROLES)
    a, b, c, d = r.sample(NOUNS, 4)
    v1, v2 = r.sample(VERBS, 2)
    day, n, w = r.choice(DAYS), r.randint(3, 90), r.randint(2, 12)
    surname = person.split()[-1]
    first = [
        f"Officials in {place} agreed on {day} to {v1} the old {a} after {n} years of delays.",
        f"The {a} of {place} will be {v1}d next spring, its owners announced on {day}.",
        f"After {n} months of argument, {place} has a plan for its {a}.",
    ]
    second = [
        f"\"We will {v2} the {b} first, and nobody will be left without {c},\" said {person}, {role}.",
        f"{person}, {role}, told local radio that the {b} came before everything else.",
        f"\"Nothing about the {b} is simple,\" {person} said, adding that {c} prices had doubled.",
    ]
    third = [
        f"Critics of the {a} plan gathered outside the {b} with banners about {c} and {d}.",
        f"A petition against the {d} scheme has gathered {n * 37} signatures since {day}.",
        f"Neighbouring towns watch {place} closely, since their own {d} faces the same problem.",
    ]
    fourth = [
        f"{surname} added that a report on the {c} would be published within {w} weeks.",
        f"A decision on the {d} is expected in {w} weeks, according to {surname}.",
        f"The council meets again in {w} weeks to vote on the {c}.",
    ]
    return "\n\n".join(r.choice(slot) for slot in (first, second, third, fourth))


def write_corpus(root: Path, n: int, first: int = 0) -> Path:
    """n invented articles as .txt files in a fresh folder `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        (root / f"story{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    return root
