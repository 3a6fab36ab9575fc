"""Messages of the x client, merged into the catalogue (same rules: en + fr, same placeholders)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "x.payment_required": {
        "en": "X refused the request: the X API now charges for every request, and the "
        "developer account behind these keys has no credits left (HTTP {status}: "
        "{reason}). Nothing was posted. To go on for free, post by hand: portabilite "
        "gives you a link that opens X with the text ready. Or buy credits in the X "
        "Developer Console (https://developer.x.com), then try again.",
        "fr": "X a refusé la requête : l'API X est désormais payante à chaque requête, et le "
        "compte développeur lié à ces clés n'a plus de crédits (HTTP {status} : "
        "{reason}). Rien n'a été publié. Pour continuer gratuitement, publiez à la "
        "main : portabilite vous donne un lien qui ouvre X avec le texte prêt. Ou "
        "achetez des crédits dans la console développeur X (https://developer.x.com), "
        "puis réessayez.",
    },
    "x.profile_by_hand": {
        "en": "portabilite can change your X profile only with OAuth 1.0a keys (consumer key "
        "and access token); you logged in with OAuth 2.0. Change it by hand: open "
        "{settings} and paste the new bio and website.",
        "fr": "portabilite ne peut modifier votre profil X qu'avec des clés OAuth 1.0a (clé "
        "consommateur et jeton d'accès) ; vous êtes connecté avec OAuth 2.0. "
        "Modifiez-le à la main : ouvrez {settings} et collez la nouvelle bio et le site "
        "web.",
    },
    "x.post_uncertain": {
        "en": "X did not answer after the post was sent ({reason}): it may have been "
        "published. Check your profile on X before trying again, so that it is not "
        "posted twice.",
        "fr": "X n'a pas répondu après l'envoi du message ({reason}) : il a peut-être été "
        "publié. Vérifiez votre profil X avant de réessayer, pour ne pas le publier "
        "deux fois.",
    },
    # For callers, before posting through the API (see portabilite.networks.x.post_cost).
    "x.cost_known": {
        "en": "Posting through the X API costs money: X lists about {price} US dollars for "
        "{kind}, billed to the developer account of the keys (prices published by X, "
        "seen on {checked}; they may have changed).",
        "fr": "Publier via l'API X est payant : X annonce environ {price} dollars US pour "
        "{kind}, facturés au compte développeur des clés (tarifs publiés par X, "
        "relevés le {checked} ; ils ont pu changer).",
    },
    "x.cost_unknown": {
        "en": "Posting through the X API may cost money: X charges every request, and "
        "portabilite does not know the current price.",
        "fr": "Publier via l'API X peut être payant : X facture chaque requête, et "
        "portabilite ne connaît pas le tarif actuel.",
    },
    "x.cost_kind.plain": {
        "en": "a post without a link",
        "fr": "un message sans lien",
    },
    "x.cost_kind.url": {
        "en": "a post with a link",
        "fr": "un message avec un lien",
    },
}
