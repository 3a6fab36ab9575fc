"""Messages of the mastodon client, merged into the catalogue (same rules: en + fr, same placeholders)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- the server did not answer ------------------------------------------------------------
    "mastodon.unreachable_timeout": {
        "en": "{host} (Mastodon) did not answer in time ({attempts} tries): check your "
        "connection or try again later.",
        "fr": "{host} (Mastodon) n'a pas répondu à temps ({attempts} essais) : vérifiez votre "
        "connexion ou réessayez plus tard.",
    },
    "mastodon.unreachable_connection": {
        "en": "Cannot connect to {host} (Mastodon) ({attempts} tries): check the server "
        "address and your connection, or try again later.",
        "fr": "Impossible de se connecter à {host} (Mastodon) ({attempts} essais) : vérifiez "
        "l'adresse du serveur et votre connexion, ou réessayez plus tard.",
    },
    "mastodon.unreachable_tls": {
        "en": "The secure connection to {host} (Mastodon) failed (certificate or TLS "
        "problem): check the server address.",
        "fr": "La connexion sécurisée à {host} (Mastodon) a échoué (problème de certificat ou "
        "de TLS) : vérifiez l'adresse du serveur.",
    },
    "mastodon.server_unavailable": {
        "en": "{host} (Mastodon) is unavailable (HTTP {status}, {attempts} tries): the server "
        "is overloaded or down; try again later.",
        "fr": "{host} (Mastodon) est indisponible (HTTP {status}, {attempts} essais) : le "
        "serveur est surchargé ou arrêté ; réessayez plus tard.",
    },
    "mastodon.server_error": {
        "en": "{host} (Mastodon) failed with an internal error (HTTP {status}: {reason}): try "
        "again later, and tell the server's administrators if it goes on.",
        "fr": "{host} (Mastodon) a échoué sur une erreur interne (HTTP {status} : {reason}) : "
        "réessayez plus tard, et prévenez les administrateurs du serveur si cela "
        "continue.",
    },
    # -- the server said no ---------------------------------------------------------------------
    "mastodon.account_not_found": {
        "en": "The Mastodon account {account} was not found on {host}: it does not exist, or "
        "it was deleted.",
        "fr": "Le compte Mastodon {account} est introuvable sur {host} : il n'existe pas, ou "
        "il a été supprimé.",
    },
    "mastodon.account_forbidden": {
        "en": "{host} does not allow this on the Mastodon account {account} ({reason}): the "
        "account may be suspended, or it blocks you.",
        "fr": "{host} n'autorise pas cette action sur le compte Mastodon {account} ({reason}) "
        ": le compte est peut-être suspendu, ou il vous bloque.",
    },
    "mastodon.missing_scope": {
        "en": "portabilite's access to {host} does not cover this action ({reason}): run "
        "'portabilite login mastodon' again and accept every permission asked.",
        "fr": "L'accès de portabilite à {host} ne couvre pas cette action ({reason}) : relancez "
        "« portabilite login mastodon » et acceptez toutes les autorisations demandées.",
    },
    "mastodon.scopes_not_granted": {
        "en": "{host} granted fewer permissions than portabilite asked for (granted: "
        "{granted}; asked: {requested}): log in again and accept all of them.",
        "fr": "{host} a accordé moins d'autorisations que portabilite n'en demandait "
        "(accordées : {granted} ; demandées : {requested}) : reconnectez-vous et "
        "acceptez-les toutes.",
    },
    "mastodon.bad_page": {
        "en": "{host} (Mastodon) sent a next-page link portabilite cannot follow ({reason}): "
        "the list would be incomplete, so it was not used.",
        "fr": "{host} (Mastodon) a envoyé un lien de page suivante que portabilite ne sait pas "
        "suivre ({reason}) : la liste serait incomplète, elle n'a donc pas été utilisée.",
    },
    # -- WebFinger ------------------------------------------------------------------------------
    "mastodon.webfinger_timeout": {
        "en": "{host} did not answer within {seconds} s when looking up {address} (WebFinger): "
        "the server may be down; try again later.",
        "fr": "{host} n'a pas répondu en {seconds} s à la recherche de {address} (WebFinger) "
        ": le serveur est peut-être arrêté ; réessayez plus tard.",
    },
    "mastodon.webfinger_unreachable": {
        "en": "Cannot connect to {host} to look up {address} (WebFinger): the server may be "
        "down, or the name may not exist.",
        "fr": "Impossible de se connecter à {host} pour rechercher {address} (WebFinger) : le "
        "serveur est peut-être arrêté, ou ce nom n'existe pas.",
    },
    "mastodon.webfinger_error": {
        "en": "{host} answered the lookup of {address} (WebFinger) with an error (HTTP "
        "{status}): try again later.",
        "fr": "{host} a répondu à la recherche de {address} (WebFinger) par une erreur (HTTP "
        "{status}) : réessayez plus tard.",
    },
}
