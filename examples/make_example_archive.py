"""Write examples/fictional-archive.zip: the X archive of a fictional town hall.

Every account here is invented (names in the style of "Exemple", ids in a range of our own);
run this again after changing it: the zip is deterministic, and a test checks the committed zip
is exactly what this script writes.

    python examples/make_example_archive.py
"""
from __future__ import annotations

import os
import sys

from portabilite.archive.synthetic import ArchiveWriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "fictional-archive.zip")


def _id(n: int) -> str:
    return str(1_999_000_000_000_000_000 + n)


# (id, screen name, display name): the accounts the town hall follows.
PEOPLE = [
    (_id(1), "camille_exemple", "Camille Exemple"),
    (_id(2), "mediatheque_fictiveville", "Médiathèque de Fictiveville"),
    (_id(3), "univ_imaginaire", "Université Imaginaire"),
    (_id(4), "journal_fictif", "Le Journal Fictif"),
    (_id(5), "lea_modele", "Léa Modèle"),
    (_id(6), "prefecture_exemple", "Préfecture d'Exemple"),
    (_id(7), "velo_fictiveville", "Vélo Fictiveville 🚲"),
    (_id(8), "meteo_imaginaire", "Météo Imaginaire"),
    (_id(9), "musee_des_exemples", "Musée des Exemples"),
    (_id(10), "sam_placeholder", "Sam Placeholder"),
    (_id(11), "theatre_fictif", "Théâtre Fictif"),
    (_id(12), "office_tourisme_ex", "Office de tourisme d'Exemple"),
]


def build() -> ArchiveWriter:
    writer = ArchiveWriter(
        account_id=_id(1000),
        username="VilleFictive",
        display_name="Ville de Fictiveville",
        created_at="2011-03-14T09:00:00.000Z",
        generated_at="2026-10-01T08:00:00.000Z",
        bio="Compte officiel de la Ville de Fictiveville (exemple fictif). "
            "Official account of a fictional town.",
        website="https://t.co/exemple",
        location="Fictiveville",
    )
    writer.screen_name_changes = [("2019-05-02T10:00:00.000Z", "FictivevilleMairie", "VilleFictive")]
    writer.following = [pid for pid, _, _ in PEOPLE]
    writer.followers = [_id(100 + n) for n in range(40)] + [_id(1), _id(2), _id(5)]
    writer.blocks = [_id(900)]
    writer.mutes = [_id(901)]
    writer.lists_created = ["https://twitter.com/VilleFictive/lists/partenaires-exemple"]
    writer.lists_member = ["https://twitter.com/journal_fictif/lists/institutions"]
    # Tweets that mention (or reply to) ten of the twelve: the archive's only way to name them.
    day = 0
    tweet = 3_000_000_000_000_000_000

    def post(text: str, mentions=(), reply_to=None) -> None:
        nonlocal day, tweet
        day += 3
        tweet += 1
        month, mday = 1 + (day // 28) % 12, 1 + day % 28
        writer.add_tweet(str(tweet), f"2025-{month:02d}-{mday:02d}T10:00:00Z", text,
                         mentions=mentions, reply_to=reply_to)

    c, m, u, j, lea, p, v, me, mu, sam, th, ot = PEOPLE
    # sam_placeholder was once "sam_ancien_nom": an old tweet keeps the old name.
    post("Merci @sam_ancien_nom pour la visite !", [(sam[0], "sam_ancien_nom", "Sam")])
    post("La @mediatheque_fictiveville ouvre le dimanche.", [(m[0], m[1], m[2])])
    post("Conférence avec l'@univ_imaginaire ce soir.", [(u[0], u[1], u[2])])
    post("Merci @journal_fictif pour l'article.", [(j[0], j[1], j[2])])
    post("@camille_exemple bienvenue au conseil municipal !", [(c[0], c[1], c[2])],
         reply_to=(c[0], c[1]))
    post("Avec @lea_modele et @sam_placeholder au marché.",
         [(lea[0], lea[1], lea[2]), (sam[0], sam[1], sam[2])])
    post("Alerte de la @prefecture_exemple : vigilance orange.", [(p[0], p[1], p[2])])
    post("Nouvelles pistes cyclables avec @velo_fictiveville 🚲", [(v[0], v[1], v[2])])
    post("Prévisions de @meteo_imaginaire pour le week-end.", [(me[0], me[1], me[2])])
    post("@musee_des_exemples : nocturne gratuite jeudi.", [(mu[0], mu[1], mu[2])],
         reply_to=(mu[0], mu[1]))
    for n in range(20):
        post(f"Info travaux n°{n + 1} : rue de l'Exemple fermée. Roadworks, Example Street.")
    return writer


def main() -> int:
    build().write_zip(OUTPUT, tweets_per_part=20)
    print(OUTPUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
