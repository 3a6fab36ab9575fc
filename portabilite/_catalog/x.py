"""What the X client says. English source texts; the French is in ``locale/fr``."""

from ._registry import message

message(
    "x.payment_required",
    "X refused the request: the X API now charges for every request, and the "
    "developer account behind these keys has no credits left (HTTP {status}: "
    "{reason}). Nothing was posted. To go on for free, post by hand: portabilite "
    "gives you a link that opens X with the text ready. Or buy credits in the X "
    "Developer Console (https://developer.x.com), then try again.",
)
message(
    "x.profile_by_hand",
    "portabilite can change your X profile only with OAuth 1.0a keys (consumer key "
    "and access token); you logged in with OAuth 2.0. Change it by hand: open "
    "{settings} and paste the new bio and website.",
)
message(
    "x.post_uncertain",
    "X did not answer after the post was sent ({reason}): it may have been "
    "published. Check your profile on X before trying again, so that it is not "
    "posted twice.",
)
# For callers, before posting through the API (see portabilite.networks.x.post_cost).
message(
    "x.cost_known",
    "Posting through the X API costs money: X lists about {price} for {kind}, billed to the developer account of the keys (prices published by X, seen on {checked}; they may have changed).",
)
message(
    "x.cost_unknown",
    "Posting through the X API may cost money: X charges every request, and "
    "portabilite does not know the current price.",
)
message("x.cost_kind.plain", "a post without a link")
message("x.cost_kind.url", "a post with a link")
