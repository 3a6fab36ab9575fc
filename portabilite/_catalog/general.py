"""The archive, the workspace, the command line and its help, matching, following, posting, reserving. English source texts; the French is in ``locale/fr``."""

from ._registry import message, plural

# -- where ---------------------------------------------------------------------------------
message("where.file_line", "{file}, line {line}")
# -- archive: the path -----------------------------------------------------------------------
message("archive.path_missing", "{path}: no such file or folder.")
message("archive.unreadable", "{path}: cannot be read (permission denied).")
message(
    "archive.not_zip_or_folder",
    "{path} is neither a .zip file nor a folder: give the X archive you downloaded.",
)
message(
    "archive.zip_corrupt",
    "{file} is a damaged or incomplete zip ({reason}): download the archive again.",
)
message(
    "archive.not_x_archive",
    "{path} is not an X archive: it has no data/manifest.js, account.js or Grailbird files.",
)
message(
    "archive.member_corrupt",
    "{file} inside the archive is damaged ({reason}): download the archive again.",
)
message(
    "archive.member_too_large",
    "{file} inside the archive inflates beyond {limit_bytes}: refused as unsafe.",
)
message(
    "archive.member_ratio",
    "{file} inside the archive inflates more than {ratio} times its size (a zip "
    "bomb?): refused as unsafe.",
)
plural(
    "archive.too_many_parts",
    "The archive splits {file} into {count} file (X writes a few): refused as unsafe.",
    "The archive splits {file} into {count} files (X writes a few): refused as unsafe.",
    n="count",
)
message(
    "archive.archive_ratio",
    "The archive's data files inflate more than {ratio} times their size (a zip "
    "bomb?): refused as unsafe.",
)
message(
    "archive.archive_too_large",
    "The archive's data files inflate beyond {limit} GiB: refused as unsafe.",
)
message(
    "archive.member_swapped",
    "{file} in the archive folder was changed or replaced (by a link or another file) "
    "while it was being read: refused. Leave the folder alone during the import, or import the "
    ".zip.",
)
message(
    "archive.unsafe_name",
    "The archive holds a file named {file}, which points outside the archive: X never "
    "writes such names, so it is refused.",
)
# -- archive: the data files -----------------------------------------------------------------
message("archive.not_js_data", "{where}: not an X data file (no 'window.YTD... =' assignment).")
message("archive.empty_data", "{where}: the data file is empty or cut short.")
message("archive.not_utf8", "{where}: the file is not UTF-8 text.")
message(
    "archive.not_streamable",
    "{where}: not laid out as X writes its files, and too large ({limit} MiB or more) "
    "to be read whole: put back the file from the archive X sent, or download it "
    "again.",
)
message("archive.too_deep", "{where}: the data is nested too deeply to be an X archive file.")
message(
    "archive.invalid_json",
    "{where}: invalid data ({reason}). Was the file edited? Download the archive again.",
)
message("archive.not_array", "{where}: expected a list of entries.")
message("archive.bad_item", "{where}: entry {index} is not of the form {expected}.")
message(
    "archive.no_account",
    "{where}: the archive does not say whose account it is (account.js is missing or empty).",
)
# -- archive: warnings -------------------------------------------------------------------------
message(
    "archive.grailbird_no_follows",
    "This is a pre-2018 tweet archive: it holds your tweets but no list of who you "
    "follow. Request a current archive at {url} (it arrives within a few days).",
)
message("archive.manifest_missing", "data/manifest.js is missing: files were found by their names.")
message(
    "archive.manifest_unreadable",
    "data/manifest.js could not be read ({reason}): files were found by their names.",
)
message("archive.partial", "X marked this archive as partial: some data may be missing.")
message("hints.invalid_json", "{file}: not a hints file ({reason}).")
message(
    "hints.bad_header",
    "{file}: a hints file needs the columns x_id and handle (name is optional), or "
    "lines 'handle https://twitter.com/i/user/ID'.",
)
message(
    "archive.no_follow_list",
    "{path} holds no list of the accounts you follow (data/following.js): nothing was "
    "imported. Ask X for a current archive at {url} (it arrives within a few days).",
)
message(
    "archive.file_missing",
    "{file} is listed by the manifest (count: {count}) but is not in the archive.",
)
message("archive.file_unlisted", "{file} is not listed by the manifest: read anyway.")
message(
    "archive.count_mismatch",
    "{file}: the manifest announces {declared} entries but the file holds {read} "
    "(was the archive edited?).",
)
message(
    "archive.account_from_manifest",
    "account.js is missing: the account was read from the manifest.",
)
# -- workspace -------------------------------------------------------------------------------
message(
    "workspace.account_mismatch",
    "This archive belongs to @{archive_user} ({archive_id}) but the workspace {path} "
    "holds @{workspace_user} ({workspace_id}): use another --workspace.",
)
message(
    "workspace.older_archive",
    "This archive was made on {generated_at}, before the one already imported "
    "({newest}): nothing was changed.",
)
message(
    "workspace.nothing_imported",
    "The workspace {path} holds no archive yet: run 'portabilite import ARCHIVE.zip' first.",
)
message(
    "workspace.too_new",
    "The workspace {path} was written by a newer portabilite (schema {version}, this "
    "one knows {supported}): upgrade portabilite.",
)
message("workspace.unusable", "The workspace {path} cannot be used: {reason}.")
# -- command line ------------------------------------------------------------------------------
message(
    "cli.internal_error",
    "Internal error ({error}). Nothing was half-written. Please report it; "
    "PORTABILITE_DEBUG=1 shows the details.",
)
message("cli.interrupted", "Interrupted: nothing was changed.")
message("cli.error_prefix", "Error: {message}")
message("cli.progress_reading", "Reading the archive")
message(
    "cli.import.done",
    "Imported the archive of @{username} ({display_name}), made on {generated_at}.",
)
message(
    "cli.import.unchanged", "This archive of @{username} was already imported: nothing changed."
)
message("cli.import.changes", "Since the previous archive: {changes}.")
message("cli.change", "{kind} +{added} -{removed}")
message(
    "cli.status.header",
    "Workspace {path}: @{username} ({display_name}), archive of {generated_at} "
    "({layout}), imported {imported_at}.",
)
message(
    "cli.counts",
    "Following {following} · followers {followers} · blocked {blocks} · muted {mutes}"
    " · lists {lists} · tweets {tweets}",
)
message("cli.hints", "{hinted}; {named}.")
message("cli.warnings", "Warnings:")
message("cli.unknown_date", "an unknown date")
message(
    "cli.expected.missing",
    "{kind} {read} of {expected} ({files} missing from this archive): ask X for a new "
    "archive at {url}",
)
message(
    "cli.expected.fewer",
    "{kind} {read} of {expected} (the archive holds fewer than it announces: was it "
    "edited?): ask X for a new archive at {url}",
)
plural("cli.expected.more_files", "{first} and {more} more", "{first} and {more} more", n="more")
message("cli.kind.tweet", "tweets")
message("cli.kind.following", "following")
message("cli.kind.follower", "followers")
message("cli.kind.block", "blocked")
message("cli.kind.mute", "muted")
message("cli.kind.list", "lists")
# -- help texts (chosen by PORTABILITE_LANG / the locale when the command starts) -----------
message(
    "help.main",
    "Leave X without losing your network or your name.\n\nImport your X archive, "
    "find the people you follow on Bluesky and Mastodon, follow them, keep your "
    "handle. Exit codes: 0 ok, 1 bad input or refused, 2 usage error, 3 internal "
    "error, 130 interrupted.",
)
message("help.lang", "Language of messages: en or fr (default: PORTABILITE_LANG, then the locale).")
message(
    "help.workspace",
    "The workspace file (default: PORTABILITE_WORKSPACE, else workspace.sqlite3 in "
    "your user data folder).",
)
message("help.json", "Print one JSON object instead of text.")
message(
    "help.import",
    "Import an X archive (the .zip X sent you, or its unzipped folder) into the "
    "workspace. Safe to repeat: the same archive changes nothing, a newer one "
    "updates the facts.",
)
message("help.status", "Show where the workspace stands.")
message("cli.usage_error", "Usage error: {message} (see '{command} --help').")
message("cli.workspace_line", "Workspace: {path}")
# -- credentials -----------------------------------------------------------------------------
message("credentials.unreadable", "The credentials file {path} cannot be read ({reason}).")
message("credentials.unwritable", "The credentials file {path} cannot be written ({reason}).")
# -- networks ------------------------------------------------------------------------------
message(
    "network.not_logged_in",
    "You are not logged in to {service}: run 'portabilite login {network}'.",
)
message(
    "network.auth_failed",
    "{service} refused the login ({reason}): check the identifier and the password or token.",
)
message(
    "network.session_expired",
    "Your {service} session has expired: run 'portabilite login {network}' again.",
)
message("network.rate_limited", "{service} asks us to slow down: try again after {when}.")
message(
    "network.budget_spent",
    "The {service} write budget is spent for now: the next window opens at {when}.",
)
message(
    "network.unreachable",
    "{host} ({service}) did not answer ({reason}): check your connection or try later.",
)
message(
    "network.account_unavailable", "The {service} account {account} is not available ({reason})."
)
message("network.refused", "{service} refused the request ({status}: {reason}).")
message(
    "network.answer_too_large",
    "{host} sent an answer larger than {limit} MiB: refused (no {service} answer "
    "portabilite reads is that large).",
)
message(
    "network.redirect_refused",
    "{host} answered with a redirect to {target}: portabilite does not follow "
    "redirects from a {service} server. Check the server address.",
)
message(
    "network.blocked_host",
    "Not contacting {host}: it is {reason}. Configure it explicitly if it is your own server.",
)
message(
    "network.bad_response", "{service} sent an answer portabilite does not understand ({reason})."
)
message(
    "help.login",
    "Log in to a network (bluesky, mastodon, x). The session is saved in the system "
    "keyring, else in a private file; never in the workspace.",
)
message(
    "help.login_bluesky",
    "Log in to Bluesky with your handle and an app password (Settings > Privacy and "
    "security > App passwords). The PDS is found from your handle.",
)
message("help.handle", "Your Bluesky handle (or DID).")
message(
    "help.pds", "Your PDS URL, if it cannot be found from the handle (PORTABILITE_BLUESKY_PDS)."
)
message(
    "help.appview",
    "The AppView used for reads (PORTABILITE_BLUESKY_APPVIEW; default: the public one).",
)
message("help.plc", "The PLC directory (PORTABILITE_PLC_URL; default: plc.directory).")
message(
    "help.password_stdin",
    "Read the app password from standard input (for scripts) instead of asking.",
)
message("help.logout", "Forget the saved session of a network.")
message("help.accounts", "Show who is logged in where (never a secret).")
message("help.check", "Also ask each network whether the saved session still works.")
message("cli.login.prompt_handle", "Bluesky handle (e.g. you.bsky.social)")
message("cli.login.prompt_app_password", "App password (not your main password)")
message(
    "cli.login.app_password_help",
    "Create an app password on Bluesky: Settings > Privacy and security > App "
    "passwords > Add App Password (https://bsky.app/settings/app-passwords). You can "
    "revoke it there at any time.",
)
message("cli.login.empty_password", "No password was given.")
message(
    "cli.login.done", "Logged in to {network} as {account} ({server}). Session saved in {source}."
)
message("cli.logout.done", "Logged out of {network}: the saved session is forgotten.")
message("cli.logout.none", "No saved session for {network}.")
message(
    "cli.accounts.none",
    "Not logged in anywhere yet: run 'portabilite login bluesky' or 'portabilite login mastodon'.",
)
message("cli.accounts.line", "{network}: {account} on {server} (since {logged_in_at}; {source})")
message("cli.accounts.ok", "  session works")
message("cli.accounts.failed", "  session does not work: {message}")
message(
    "help.login_x",
    "Log in to X (optional: used to post the redirect message and set the profile). "
    "OAuth 2.0 with your app's client id, or --oauth1 with the four keys of the X "
    "developer portal. Reading or posting through the X API costs money.",
)
message("help.oauth1", "Use OAuth 1.0a keys (consumer key and secret, access token and secret).")
message("help.client_id", "The OAuth 2.0 client id of your X app (PORTABILITE_X_CLIENT_ID).")
message("help.redirect_uri", "The callback URL registered for your X app.")
message(
    "help.secrets_stdin",
    "Read secrets (and answers) from standard input, one per line, instead of asking.",
)
message("help.no_browser", "Do not open a web browser; just print the address.")
message(
    "cli.login.x_open",
    "Open this address, allow portabilite, then copy the address your browser is sent "
    "to (even if the page does not load):\n{url}",
)
message("cli.login.x_paste", "Address (or code)")
message("cli.login.prompt_client_id", "Client id of your X app")
message("cli.login.prompt_consumer_key", "Consumer key (API key)")
message("cli.login.prompt_consumer_secret", "Consumer secret (API key secret)")
message("cli.login.prompt_access_token", "Access token")
message("cli.login.prompt_access_token_secret", "Access token secret")
message("directory.unreadable", "{file}: cannot be read ({reason}).")
message(
    "directory.not_utf8",
    "{file}: not UTF-8 text. Saved from Excel as CSV? Then it is Windows-1252: add "
    "--encoding cp1252. Nothing was imported.",
)
message(
    "directory.bad_encoding",
    "{file}: the encoding {encoding} is not one portabilite reads (utf-8, cp1252).",
)
message(
    "directory.invalid_csv", "{file}: not a readable CSV file ({reason}). Nothing was imported."
)
message("cli.directory.bad_line", "{file}, line {line}: skipped ({reason}).")
plural(
    "cli.directory.skipped",
    "{count} bad row skipped (listed above; --json lists it).",
    "{count} bad rows skipped (the first are listed above; --json lists them).",
    n="count",
)
message(
    "help.encoding",
    "The file's encoding: utf-8 (the default, with or without BOM) or cp1252 "
    "(Windows-1252, what Excel saves as CSV).",
)
message(
    "help.skip_bad_rows",
    "Keep the good rows and report each bad one with its line (default: a bad row "
    "refuses the whole file).",
)
message("directory.invalid_json", "{file}: invalid JSON ({reason}).")
message(
    "directory.bad_header",
    "{file}: the first line must name the columns (x_id or x_handle, and bluesky or "
    "mastodon; known columns: {columns}).",
)
message(
    "directory.bad_row",
    "{file}, row {row}: {reason}. Nothing was imported (--skip-bad-rows keeps the "
    "good rows and lists the bad ones).",
)
message("match.bad_decision", "A decision is accepted or rejected, not {decision}.")
message("match.unknown_id", "No match has the id {id}: see 'portabilite matches'.")
message(
    "help.directory",
    "Directories of known mappings (X account -> Bluesky / Mastodon), shared by a "
    "community or an organisation.",
)
message(
    "help.directory_import",
    "Load a directory file (CSV or JSON; columns x_id, x_handle, bluesky, mastodon, "
    "source, date: see docs/matching.md).",
)
message("help.source", "Who the mappings come from (default: the file name).")
message(
    "help.match",
    "Find the accounts you follow (and your followers) on Bluesky and Mastodon, with "
    "the evidence for each. Online by default; what was looked up is kept, so a "
    "re-run only does new work.",
)
message("help.offline", "Use only the archive, the directories and earlier look-ups: no network.")
message("help.refresh", "Look everything up again, even what was looked up before.")
message(
    "help.require_follows",
    "Refuse (exit 1, nothing imported) an archive without the list of accounts you follow.",
)
message("help.hints", "Name the accounts your archive only numbers, from files other tools wrote.")
message(
    "help.hints_import",
    "Record an id → handle file: twitter-archive-parser's following.txt or "
    "followers.txt, or CSV / JSON with x_id, handle, name.",
)
message(
    "help.following",
    "Every account you follow: id, handle, every name seen and where, the link "
    "that opens it, its match per network.",
)
message("help.following_followers", "The accounts that follow you instead.")
message("help.matches", "List the matches with their status, score and evidence.")
message("help.network_filter", "Only this network (repeatable; none given: both).")
message("help.status_filter", "Only this status.")
message("help.followers", "Your X followers instead of the accounts you follow.")
message("help.format", "Output format.")
message(
    "help.review",
    "Review the probable matches one by one (accept, reject, skip, quit; resumable), "
    "or decide by id with --accept / --reject.",
)
message("help.accept", "Accept this match id (repeatable).")
message("help.reject", "Reject this match id (repeatable).")
message("cli.hints.done", "{file}: {read}, {added}; {skipped}.")
message("cli.hints.bad_line", "{file}, line {line}: skipped ({reason}).")
plural(
    "cli.hints.more_bad",
    "… and {count} more row skipped (--json lists the first ones).",
    "… and {count} more rows skipped (--json lists the first ones).",
    n="count",
)
message("cli.following.name", "name")
message("cli.following.seen", "names seen")
message("cli.following.from.tweets", "your tweets")
message("cli.following.from.hints", "a hints file")
message("cli.following.from.x_api", "the X API")
plural(
    "cli.following.summary",
    "{named} of {total} named; the others open with their link.",
    "{named} of {total} named; the others open with their link.",
    n="named",
)
message("cli.directory.done", "{read}, {added}; the workspace now knows {total}.")
message("cli.match.progress", "Looking up Bluesky profiles")
message("cli.match.line", "{network}: {confirmed}, {probable} to review, {rejected}")
message("cli.match.followers", "Your X followers already there:")
message("cli.match.following", "The accounts you follow:")
message(
    "cli.match.next",
    "Next: 'portabilite review' for the probable ones, 'portabilite matches' for the list.",
)
message("cli.matches.none", "No matches yet: run 'portabilite match'.")
message("cli.review.none", "Nothing left to review.")
message("cli.matches.none_filtered", "No match with these filters. What there is:")
message(
    "cli.review.group", "[{n}/{total}] X @{x_handle} ({x_id}) on {network}, candidates: {count}"
)
message("cli.review.score", "score")
message(
    "cli.review.prompt_many",
    "1-{last} = this one is the person (the others are rejected), r = none of them, "
    "s = skip, q = quit",
)
message("cli.review.prompt", "a = accept, r = reject, s = skip, q = quit")
message("cli.review.done", "{accepted}, {rejected}.")
message("cli.bad_lang", "--lang: {value!r} is not one of {choices}.")
message(
    "cli.workspace_damaged",
    "The workspace file is damaged. Restore it from a backup, or start"
    " a new one (-w NEW.sqlite3) and import your archive again. Nothing was changed.",
)
message(
    "cli.workspace_busy",
    "The workspace is in use by another portabilite command: try again when it"
    " has finished. Nothing was changed.",
)
message("cli.follow.skipped", "{service}: skipped. {reason}")
message(
    "cli.review.conflict",
    "--accept and --reject both name {ids}: say one or the other. Nothing was recorded.",
)
message("cli.unknown", "unknown")
message("evidence.directory_x_id", "listed under this X id in the directory “{source}” {dated}")
message(
    "evidence.directory_x_handle",
    "listed under X @{name} in the directory “{source}” (handles can be reused)",
)
message("evidence.bio_handle", "the person wrote {account} in their X {where}")
message("evidence.back_link", "the {network} profile names X @{name}, the account's current handle")
message(
    "evidence.back_link_stale",
    "the {network} profile names X @{name}, a handle this account used before "
    "(someone else may hold it now)",
)
message(
    "evidence.directory_x_handle_stale",
    "listed under X @{name} in the directory “{source}”, a handle this account no longer uses",
)
message(
    "evidence.handle_guess_stale",
    "{handle} exists, guessed from X @{name}, a handle this account no longer uses",
)
message(
    "evidence.rel_me",
    'the website of the X profile, {site}, links this profile as its owner\'s (rel="me")',
)
message("evidence.cross_link", "the person's proven {network} account {account} names this one")
message(
    "evidence.linked_from",
    "named by {account}, a possible {network} account of the person (not proven)",
)
message("evidence.user_accepted", "you accepted it in review")
message("evidence.user_rejected", "you rejected it in review")
message("evidence.alternative", "shown beside the other candidates for this X account")
message("evidence.conflict", "to check: another account is proven for this X account too")
message("evidence.shared_account", "to check: this account is proven for another X account too")
message("evidence.outranked", "another candidate for this X account is more likely")
message("evidence.same_domain", "the same personal domain {domain} on both sides")
message("evidence.moved_from", "the account moved here from {previous}")
message(
    "evidence.handle_guess", "{handle} exists, guessed from X @{name} (anyone could have taken it)"
)
message("evidence.name_match", "same display name: {name}")
message("evidence.search_hit", "found by searching for {query}")
message("evidence.impersonation_label", "labelled as impersonation by a moderation service")
message("evidence.account_unavailable", "the account is not available ({reason})")
message("evidence.bridge_opt_out", "the person opted out of the bridge")
message("evidence.name_mismatch", "display name {name}, not {x_name} as on X")
message(
    "help.login_mastodon",
    "Log in to your Mastodon instance: portabilite registers itself there once, you "
    "allow it on the instance's page and paste the code it shows. Or give an "
    "existing access token (--token-stdin or PORTABILITE_MASTODON_TOKEN).",
)
message("help.instance", "Your instance, e.g. mastodon.social (PORTABILITE_MASTODON_INSTANCE).")
message("help.token_stdin", "Read an existing access token from standard input.")
message("cli.login.prompt_instance", "Your Mastodon instance (e.g. mastodon.social)")
message("cli.login.prompt_code", "Code (or token)")
message(
    "cli.login.mastodon_open",
    "Open this page, log in if asked, allow portabilite, then paste the code it shows:\n{url}",
)
message(
    "help.hydrate",
    "Read the bios and websites of the accounts you follow through the X API (you "
    "must be logged in to X). People write their new addresses there. X charges for "
    "this: the cost is shown and confirmed first.",
)
message("help.yes", "Do not ask for confirmation.")
message(
    "cli.hydrate.estimate",
    "This reads {accounts} accounts through the X API: about {usd} at X's published "
    "price ({price} per account read, {source}, checked {checked}).",
)
message(
    "cli.hydrate.unknown_price",
    "This reads {accounts} accounts through the X API, which X charges for (the price "
    "could not be confirmed: check your X developer console).",
)
message("cli.hydrate.confirm", "Continue?")
message("cli.hydrate.cancelled", "Nothing was read.")
message("cli.hydrate.progress", "Reading X profiles")
plural(
    "cli.hydrate.done",
    "{count} profile read. Run 'portabilite match' to use it.",
    "{count} profiles read. Run 'portabilite match' to use them.",
    n="count",
)
message(
    "help.search",
    "Search Bluesky and your Mastodon instance by display name and handle for the "
    "people nothing has proven yet (on by default; cached; such matches go to review "
    "unless the profile links back to X).",
)
message(
    "help.follow",
    "Follow on Bluesky and Mastodon the accounts matched for the people you follow "
    "on X. Start with --dry-run: it shows the plan and writes nothing.",
)
message("help.dry_run", "Show the plan and how long it takes; write nothing anywhere.")
message("help.limit", "Follow at most N accounts per network.")
message("help.only", "Only the confirmed matches.")
message("help.include_probable", "Also follow the probable matches not reviewed yet.")
message(
    "help.daily_cap",
    "Follows per day and network (default: Bluesky 1000, Mastodon 360; Bluesky "
    "flags bulk following as spam).",
)
message(
    "cli.follow.matching_offline",
    "Nothing was matched yet: matching from the archive and the directories first "
    "(offline; 'portabilite match' looks further online).",
)
plural(
    "cli.follow.network_line",
    "{service}: {count} to follow, {skipped} skipped{reasons}.",
    "{service}: {count} to follow, {skipped} skipped{reasons}.",
    n="skipped",
)
message("cli.follow.item", "  {account}  <- X @{x_handle}  {status} ({evidence})")
plural(
    "cli.follow.estimate_bluesky",
    "  {follows} follow in {calls}, at most {daily_cap} a day: {duration}.",
    "  {follows} follows in {calls}, at most {daily_cap} a day: {duration}.",
    n="follows",
)
plural(
    "cli.follow.estimate_mastodon",
    "  {follows} follow, at most {daily_cap} a day (Mastodon allows 400): {duration}.",
    "  {follows} follows, at most {daily_cap} a day (Mastodon allows 400): {duration}.",
    n="follows",
)
message(
    "cli.follow.csv_hint",
    "  That is many for the API: 'portabilite follow --mastodon-csv FILE' writes the "
    "file Mastodon's own importer takes.",
)
message(
    "cli.follow.not_reconciled",
    "Not logged in to {service}: the accounts you already follow there are checked "
    "when you apply ('portabilite login {network}').",
)
message(
    "cli.follow.dry_run_done", "Dry run: nothing was written. To follow them: portabilite follow"
)
message("cli.follow.reason.already_followed", "already followed")
message("cli.follow.reason.rejected", "rejected")
message("cli.follow.reason.awaiting_review", "to review first")
message("cli.follow.reason.not_confirmed", "not confirmed")
message("cli.follow.reason.blocked_on_x", "blocked on X")
message("cli.follow.reason.mastodon_cap", "over Mastodon's 7,500")
message("cli.follow.reason.duplicate", "another account of the same person")
message("cli.follow.reason.limit", "beyond --limit")
message("cli.follow.failed_line", "{service}: {count} not followed: {reason}")
message(
    "cli.follow.retry_hint",
    "Check these accounts in 'portabilite matches', then 'portabilite follow "
    "--retry-failed' tries them again (each once, never twice).",
)
message(
    "help.retry_failed",
    "Try again the follows that failed before (each keeps its journal entry: never "
    "followed twice).",
)
plural(
    "cli.follow.applied",
    "{service}: {done} followed, {failed} failed, {remaining} still to do.",
    "{service}: {done} followed, {failed} failed, {remaining} still to do.",
    n="done",
)
message(
    "help.unfollow",
    "Undo: remove exactly the follows portabilite made (from its journal), nothing else.",
)
message("help.undo", "Remove the follows portabilite made.")
plural(
    "cli.unfollow.done",
    "{service}: {count} follow made by portabilite removed.",
    "{service}: {count} follows made by portabilite removed.",
    n="count",
)
message(
    "help.mastodon_csv",
    "Write the Mastodon follows to this CSV file for Mastodon's own importer instead "
    "of following through the API (for large lists).",
)
plural(
    "cli.follow.csv_written",
    'Wrote {count} account to {files}. On your instance: Preferences > Import and export > Import, type "Following list", mode MERGE ("Overwrite" would unfollow everyone else), then upload the file.',
    'Wrote {count} accounts to {files}. On your instance: Preferences > Import and export > Import, type "Following list", mode MERGE ("Overwrite" would unfollow everyone else), then upload the file.',
    n="count",
)
message(
    "help.wait",
    "When a limit is reached (a budget, the daily cap), wait until it reopens and go "
    "on instead of stopping (leave it running, or run it from cron).",
)
message("help.blocks", "Also block there the people you block on X (confirmed matches only).")
message("help.mutes", "Also mute there the people you mute on X (confirmed matches only).")
message("cli.follow.to_block", "  To block on {service}: {accounts}")
message("cli.follow.to_mute", "  To mute on {service}: {accounts}")
message(
    "help.lists",
    "Also recreate the X lists you own (read them first with 'portabilite hydrate "
    "--lists'), with the matched accounts you follow as members.",
)
message(
    "help.hydrate_lists",
    "Read the lists you own on X and their members (billed per list and member).",
)
message("cli.hydrate.lists_done", "{lists} and {members} read.")
message("cli.follow.lists", "  Lists on {service}: {lists}")
message(
    "help.budget_margin",
    "Share of Bluesky's write budget kept in reserve (0.1: keep a tenth of each hour's "
    "and day's points unused).",
)
message("post.template_missing", "{file}: no such template file.")
message("post.template_unreadable", "{file}: the template cannot be read ({reason}).")
message(
    "post.template_placeholder",
    "The template uses {{{name}}}, which portabilite does not know (known: {known}).",
)
message(
    "post.nothing_to_say",
    "No new address to announce: log in to Bluesky or Mastodon first, or, to"
    " preview, name them: post compose --bluesky HANDLE --mastodon USER@INSTANCE.",
)
message("post.bad_bluesky", "{value!r} is not a Bluesky handle (such as name.bsky.social).")
message("post.bad_mastodon", "{value!r} is not a Mastodon address (such as name@instance.social).")
message(
    "help.compose_bluesky",
    "The new Bluesky handle to announce (default: the account logged in to).",
)
message(
    "help.compose_mastodon",
    "The new Mastodon address to announce, user@instance (default: the account logged in to).",
)
message(
    "post.too_long",
    "The message is {length} long on {network}, over its limit of {limit}: shorten the template.",
)
message("post.no_network", "No network to post to.")
message(
    "post.redirect_exists",
    "The redirect post is already queued or sent (post {id}): it goes out once. To "
    "replace it before it is sent: portabilite post cancel {id}, then queue again.",
)
message("post.unknown_id", "No post has the id {id}: see 'portabilite post list'.")
message(
    "help.post",
    "The redirect post and crossposting: 'post compose' to preview, 'post queue' to "
    "schedule, 'post send' to publish what is due (run it from cron), 'post \"TEXT\"' "
    "to crosspost now.",
)
message("help.post_compose", "Write the redirect message for each network and show it.")
message("help.post_queue", "Queue the redirect message for a given time.")
message("help.post_list", "List the queued and sent posts.")
message("help.post_cancel", "Cancel what is still queued of a post.")
message(
    "help.post_send",
    "Publish what is due (Mastodon posts far enough ahead go to the server's own "
    "scheduler). Run it by hand, from cron or a systemd timer, or with --wait.",
)
message("help.post_now", "Crosspost TEXT now.")
message("help.at", "When: an ISO date and time (2026-12-01T09:00+01:00), 'now', or +30m, +2h, +1d.")
message("help.networks", "Comma-separated networks among x, bluesky, mastodon.")
message("help.pin", "Pin the post on Bluesky and Mastodon once published (X: by hand).")
message("help.post_lang", "Language of the message (default: the interface's, --lang).")
message("help.website", "A website to mention in the message.")
message(
    "help.template",
    "Your own template file (placeholders {{bluesky}}, {{mastodon}}, {{website}}, {{x_handle}}).",
)
message("help.post_wait", "Keep running: sleep until the next post is due, until none is left.")
message("post.bad_when", "{value}: not a date and time portabilite understands (see --help).")
message("post.bad_network", "{value}: not one of x, bluesky, mastodon.")
message("cli.post.preview", "{network} ({length}/{limit}):")
message("cli.post.queued", "Post {id} queued for {due} on {networks}.")
plural(
    "cli.post.cancelled",
    "Post {id}: {count} delivery cancelled.",
    "Post {id}: {count} deliveries cancelled.",
    n="count",
)
message("cli.post.none", "No posts.")
message("cli.post.line", "{id}  {due}  {network}: {state} {url}")
message(
    "cli.post.manual",
    "X: no API login, so post it yourself: open this link, check the text, press Post "
    "(then pin it from the post's menu: X has no API to pin):\n{url}",
)
message(
    "cli.post.x_cost",
    "Posting on X through the API costs about ${usd} per post ({kind}) at X's "
    "published price. Post there through the API?",
)
message("cli.post.sent", "{network}: {state} {url}")
message("cli.post.nothing_due", "Nothing is due.")
message("reserve.bio_long", "I have moved: {places}. This account stays only to point the way.")
message("reserve.bio_short", "Moved: {places}")
message("reserve.places_to_fill", "Bluesky @YOUR.HANDLE · Mastodon @YOU@YOUR.INSTANCE")
message(
    "cli.reserve.post_waiting",
    "2. Redirect post: not queued yet, there is no new address to announce. Log"
    " in to Bluesky or Mastodon (or give --bluesky / --mastodon), then run reserve"
    " again. Replace the capitals in the bio above.",
)
message("reserve.backlink", "Formerly @{x_handle} on X")
message("reserve.ics_summary", "Log in to X (@{x_handle}) to keep the handle")
message(
    "reserve.ics_description",
    "X may remove accounts that do not log in for about 30 days, and the handle would "
    "be free for anyone. Log in to @{x_handle}, post nothing, then run: portabilite "
    "reserve --logged-in",
)
message(
    "reserve.check_1",
    "Never deactivate the X account: deactivation starts a 30-day countdown after "
    "which the handle is released and can be taken.",
)
message(
    "reserve.check_2",
    "Keep the account's e-mail address and two-factor authentication working: you "
    "need them to log in every few weeks.",
)
message(
    "reserve.check_3",
    "Log in at least every 25 days (the calendar file reminds you), then run "
    "'portabilite reserve --logged-in'.",
)
message(
    "reserve.check_4",
    "Stop posting on X: only the pinned redirect post stays, with the new addresses.",
)
message(
    "reserve.check_5",
    "You may protect the account (locked posts): new people then cannot read the "
    "redirect post without asking, so most people leave it public.",
)
message(
    "help.reserve",
    "Keep your X handle: the account stays as a signpost (never deactivated). Sets or "
    "gives the redirect bio, queues the redirect post, adds the back-link to your new "
    "accounts, writes a login reminder calendar, and lists what not to do.",
)
message("help.logged_in", "Record that you just logged in to X.")
message(
    "help.calendar", "Where to write the reminder calendar (.ics; default: your user data folder)."
)
message("help.backlink", "Add 'formerly @handle on X' to your Bluesky and Mastodon profiles.")
message("cli.reserve.bio_set", "1. X bio set: {bio}")
message("cli.reserve.bio_ask", "Set your X bio to: {bio}")
message(
    "cli.reserve.bio_manual",
    "1. Paste this bio on X (https://x.com/settings/profile), {length}/160 characters:\n   {bio}",
)
message(
    "cli.reserve.post_queued",
    "2. Redirect post queued (id {id}), to be pinned: publish it with 'portabilite post send'.",
)
message("cli.reserve.post_exists", "2. The redirect post is already queued or sent.")
message("cli.reserve.backlink_done", "3. Back-link on {service}: {state}.")
message(
    "cli.reserve.backlink_skipped",
    "3. Back-links not added (use --backlink to add 'formerly @{x_handle} on X').",
)
message(
    "cli.reserve.backlink_confirm",
    "Add 'formerly @{x_handle} on X' to your new profiles (it helps people find you)?",
)
message("cli.reserve.added", "added")
message("cli.reserve.present", "already there (or no room)")
message(
    "cli.reserve.calendar",
    "4. Reminder calendar written to {path}: import it in your calendar app (a "
    "reminder every 25 days to log in to X).",
)
message("cli.reserve.checklist", "5. What not to do:")
message("cli.reserve.logged_in", "Login recorded. Next reminder: {next}.")
plural(
    "cli.status.login_due",
    "Warning: no recorded X login for {days} day: log in to @{x_handle} soon, then run 'portabilite reserve --logged-in' (X may remove inactive accounts).",
    "Warning: no recorded X login for {days} days: log in to @{x_handle} soon, then run 'portabilite reserve --logged-in' (X may remove inactive accounts).",
    n="days",
)
message("cli.post.open", "Open it in your browser now?")

# -- click's help layout -----------------------------------------------------------------------
message("cli.heading", "{name}:")

# -- questions ---------------------------------------------------------------------------------
message("cli.ask.default_yes", "[Y/n]")
message("cli.ask.default_no", "[y/N]")
message("cli.ask.again", "Answer y (yes) or n (no).")

# -- counted things, for sentences that count more than one thing (one plural each) -----------
plural(
    "count.hinted",
    "Your tweets name {count} account",
    "Your tweets name {count} accounts",
    n="count",
)
plural(
    "count.following_named",
    "{named} of the {count} accounts you follow is named ({percent}%)",
    "{named} of the {count} accounts you follow are named ({percent}%)",
    n="named",
)
plural("count.accounts_read", "{count} account read", "{count} accounts read", n="count")
plural(
    "count.named_first",
    "{count} named for the first time",
    "{count} named for the first time",
    n="count",
)
plural("count.rows_skipped", "{count} row skipped", "{count} rows skipped", n="count")
plural("count.mappings_read", "{count} mapping read", "{count} mappings read", n="count")
plural("count.new_mappings", "{count} new", "{count} new", n="count")
plural("count.confirmed", "{count} confirmed", "{count} confirmed", n="count")
plural("count.rejected", "{count} rejected", "{count} rejected", n="count")
plural("count.accepted", "{count} accepted", "{count} accepted", n="count")
plural("count.review_rejected", "{count} rejected", "{count} rejected", n="count")
plural("count.lists", "{count} list", "{count} lists", n="count")
plural("count.members", "{count} member", "{count} members", n="count")
plural("count.write_calls", "{count} write call", "{count} write calls", n="count")
# -- durations -----------------------------------------------------------------------------------
message("duration.under_a_minute", "under a minute")
plural("duration.minutes", "about {count} minute", "about {count} minutes", n="count")
message("duration.hours_minutes", "about {hours} h {minutes} min")
plural("duration.days", "about {count} day", "about {count} days", n="count")

# -- words for codes: match statuses and evidence kinds, short, for tables and lists -----------
message("status.confirmed", "confirmed")
message("status.probable", "to review")
message("status.rejected", "rejected")
message("evidence_kind.user_accepted", "accepted by you")
message("evidence_kind.directory_x_id", "in a directory by X id")
message("evidence_kind.bio_handle", "named in the X bio")
message("evidence_kind.back_link", "links back to X")
message("evidence_kind.same_domain", "same personal domain")
message("evidence_kind.rel_me", "verified website link")
message("evidence_kind.cross_link", "named by a proven account")
message("evidence_kind.directory_x_handle", "in a directory by X handle")
message("evidence_kind.back_link_stale", "links to an old X handle")
message("evidence_kind.directory_x_handle_stale", "in a directory by an old X handle")
message("evidence_kind.handle_guess", "same handle guessed")
message("evidence_kind.name_match", "same display name")
message("evidence_kind.handle_guess_stale", "old handle guessed")
message("evidence_kind.search_hit", "found by search")
message("evidence_kind.moved_from", "moved from another account")
message("evidence_kind.linked_from", "linked from a proven account")
message("evidence_kind.conflict", "another account proven too")
message("evidence_kind.shared_account", "proven for another X account too")
message("evidence_kind.alternative", "one of several candidates")
message("evidence_kind.outranked", "a likelier candidate exists")
message("evidence_kind.user_rejected", "rejected by you")
message("evidence_kind.impersonation_label", "labelled impersonation")
message("evidence_kind.account_unavailable", "account unavailable")
message("evidence_kind.bridge_opt_out", "opted out of the bridge")
message("evidence_kind.name_mismatch", "different display name")

# -- the matches table ---------------------------------------------------------------------------
message("cli.matches.column.id", "No.")
message("cli.matches.column.x", "X")
message("cli.matches.column.network", "Network")
message("cli.matches.column.account", "Account")
message("cli.matches.column.status", "Status")
message("cli.matches.column.score", "Score")
message("cli.matches.column.evidence", "Evidence")

# -- follow and undo: the question before ------------------------------------------------------
plural(
    "cli.follow.confirm",
    "Follow {count} account now on {networks}?",
    "Follow {count} accounts now on {networks}?",
    n="count",
)
message("cli.follow.cancelled", "Nothing was done.")
plural(
    "cli.unfollow.confirm",
    "Remove the {count} follow portabilite made on {networks}?",
    "Remove the {count} follows portabilite made on {networks}?",
    n="count",
)
message("cli.unfollow.nothing", "portabilite has made no follow to undo on these networks.")

# -- why something failed (portabilite._reasons) -----------------------------------------------
message("reason.no_such_file", "no such file or folder")
message("reason.permission_denied", "permission denied")
message("reason.disk_full", "the disk is full")
message("reason.is_a_folder", "it is a folder")
message("reason.not_a_folder", "a part of the path is not a folder")
message("reason.read_only", "it is read-only")
message("reason.input_output", "the disk could not be read or written")
message("reason.address_in_use", "another program listens on it already")
message("reason.address_not_available", "this computer has no such address")
message(
    "reason.cannot_open_database",
    "the file cannot be opened: check that its folder exists and that you may write in it",
)
message("reason.not_a_database", "it is not a workspace file")
message("reason.damaged_database", "the file is damaged")
message("reason.database_busy", "another portabilite command is using it")
message("reason.not_a_zip", "it is not a zip file")
message("reason.bad_checksum", "a checksum does not match")
message("reason.truncated", "the file is cut short")
message("reason.unknown_compression", "it is compressed with a method portabilite cannot read")
message("reason.encrypted", "it is protected by a password")
message("reason.damaged_data", "the compressed data is damaged")
message("reason.bad_json", "not valid JSON at line {line}, column {column}")
message("reason.bad_encoding", "it is not {encoding} text")
message("reason.timeout", "no answer in time")
message("reason.cannot_connect", "the connection failed")
message("reason.connection_broken", "the connection broke off")

# -- why an account is unavailable (evidence account_unavailable) --------------------------------
message("unavailable.suspended", "suspended by its server")
message("unavailable.taken_down", "taken down by moderation")
message("unavailable.handle_invalid", "its handle no longer leads to it")
message("unavailable.not_found_bluesky", "not found on Bluesky")
message("unavailable.no_such_account", "its server says there is no such account")
message("unavailable.moved", "moved to {target}")
message(
    "cli.unfollow.logged_in_nowhere",
    "You are logged in to neither Bluesky nor Mastodon, so there is nothing to undo from here: run 'portabilite login bluesky' or 'portabilite login mastodon' first.",
)
message("cli.prompt_suffix", ": ")

# -- waits shown at a terminal (portabilite._waiting) ---------------------------------------------
message(
    "cli.wait.rate_limit",
    "{service}: the rate limit is reached; going on at {until} (in {duration})…",
)
message(
    "cli.wait.budget",
    "{service}: the write budget is spent for now; going on at {until} (in {duration})…",
)
message(
    "cli.wait.daily_cap",
    "{service}: today's follows are done (the daily cap); going on at {until} (in {duration})…",
)
message("cli.wait.pace", "{service}: a pause between batches, as a person would take…")
message("cli.wait.retry", "{service}: no usable answer yet; trying again in {duration}…")
message("cli.wait.connecting", "Connecting to {service}…")
message("cli.follow.reason_count", "{reason}: {count}")
message("cli.login.saved_environment", "the environment (not saved)")
message("cli.login.saved_keyring", "the system keyring ({backend})")
message("cli.wait.next_post", "The next post is due at {until} (in {duration}): waiting for it…")
message("reason.row_bad_x_id", "x_id {value!r} is not a numeric X id")
message("reason.row_bad_x_handle", "{value!r} is not an X handle")
message("reason.row_no_x", "neither x_id nor x_handle")
message("reason.row_bad_bluesky", "{value!r} is not a Bluesky handle or DID")
message("reason.row_bad_mastodon", "{value!r} is not a Mastodon address")
message("reason.row_no_network", "neither bluesky nor mastodon")
message("reason.json_not_a_list", "expected a list of objects")
message("reason.json_not_an_object", "not an object")
message("reason.invalid_code", "the code is not valid")
message("reason.state_mismatch", "the answer does not belong to this login (state mismatch)")
message("archive.layout.data", "the format of 2019 on")
message("archive.layout.root-2018", "the 2018 format")
message("archive.layout.grailbird", "the tweet archive of before 2018")
message("unavailable.not_found_instance", "not found from your instance")
message(
    "cli.hydrate.needs_yes",
    "Reading profiles through the X API costs money: without a terminal to ask, add --yes to agree to the cost shown above. Nothing was read.",
)

# -- the report (issue 14) -------------------------------------------------------------------------
message(
    "help.report",
    "How portable your audience is: where the accounts you follow and your followers are, the portable share, the follows left, in plain words (--json: the figures).",
)
message(
    "report.following",
    "Accounts you follow: {total}. Confirmed on Bluesky or Mastodon: {anywhere} ({percent}%); on Bluesky: {bluesky}, on Mastodon: {mastodon}; to review: {review}.",
)
message(
    "report.followers",
    "Your X followers: {total}. Already on Bluesky or Mastodon: at least {anywhere} ({percent}%, 95% interval {low}% to {high}%). A lower bound: only the followers your archive names or a directory lists could be looked up.",
)
message("report.instances", "Mastodon servers of the accounts you follow: {hosts}.")
message(
    "report.follows_left",
    "Follows on {service}: {done} made, {remaining} left ({duration} at the networks' pace and daily caps).",
)
message("report.follows_done", "Follows on {service}: {done} made, none left.")
message("report.next_login", "Next X login to keep your handle: by {date}.")
message(
    "help.report_html",
    "Also write the report as one self-contained HTML page (charts included, opens offline) to this file.",
)
message(
    "report.html.written",
    "Report written to {path}: open it in a browser (it needs no connection).",
)
message("report.html.title", "How portable is your audience?")
message("report.html.account", "X account @{username} ({display_name})")
message("report.html.summary", "In short")
message("report.html.following", "The accounts you follow")
message("report.html.followers", "Your followers")
message("report.html.instances", "Mastodon servers of the accounts you follow")
message("report.html.accounts", "accounts")
message("report.html.status.confirmed", "confirmed")
message("report.html.status.probable", "to review")
message("report.html.status.not_found", "not found")
message(
    "report.html.footer",
    "Made by portabilite on {generated}, from your X archive and what could be looked up; nothing left your computer to make it.",
)
message(
    "report.followers_sample",
    "Your X followers: {total}. Confirmed on Bluesky or Mastodon, estimated from a random sample of {sample}: {percent}% (95% interval {low}% to {high}%), about {people} people; {review} of the sample are still to review, which can only raise it.",
)
message(
    "report.sample_hint",
    "For an estimate of the whole share within {margin} points, check a random sample of {size} followers: portabilite report --sample {size} (it reads their X profiles, at X's price).",
)
message(
    "report.bridged",
    "Bridged accounts (Bluesky and Mastodon joined by Bridgy Fed) among those you follow: {bluesky} seen from Bluesky, {mastodon} seen from Mastodon.",
)
message("report.posts", "Posts on {service}: {sent} sent, {queued} waiting, {failed} failed.")
message(
    "report.reserve",
    "Keeping your X handle: {done} of {total} steps done; still to do: {left} (portabilite reserve).",
)
message("report.reserve_done", "Keeping your X handle: every step is done.")
message(
    "report.next_login_archive",
    "Next X login to keep your handle: by {date}, counted from your archive's date; record your logins with portabilite reserve --logged-in.",
)
message(
    "report.next_login_unknown",
    "Log in to X at least every {days} days to keep your handle, and record each login with portabilite reserve --logged-in.",
)
message("report.step.bio", "the X bio that points the way")
message("report.step.post", "the redirect post")
message("report.step.backlink", "the link back from your new profiles")
message("report.step.calendar", "the login reminders in your calendar")
message("report.step.checklist", "the checklist")
message(
    "help.report_sample",
    "Estimate the portable share of your followers from N of them drawn at random: their X profiles are read through the X API (the cost is shown and asked first), then they are looked up.",
)
message("help.report_pdf", "Also print the report to this PDF file, with the system's Chromium.")
message(
    "help.report_offline", "With --sample: look the sample up in the directory and the cache only."
)
message(
    "report.sample_cost",
    "The sample: {sample} followers drawn at random; {to_read} of their X profiles to read through the X API, about {usd} at {price} an account (X's price, {source}, checked {checked}).",
)
message(
    "report.sample_unknown_price",
    "The sample: {sample} followers drawn at random; {to_read} of their X profiles to read through the X API (X's price is not known: see your X developer console).",
)
message("report.sample_confirm", "Read these profiles and look the sample up?")
message("report.sample_cancelled", "Nothing was read; the report uses what is known.")
message("report.sample_progress", "Reading the sample's X profiles")
message(
    "report.sample_done",
    "Sample: {read} profiles read, {gone} accounts gone from X, {found} of {sample} found on Bluesky or Mastodon.",
)
message("report.pdf.written", "PDF written to {path}.")
message(
    "report.pdf.no_chromium",
    "No Chromium or Chrome found to print the PDF: install it (Debian, Ubuntu: sudo apt-get install chromium) or name it with PORTABILITE_CHROMIUM; the HTML report (--html) needs nothing.",
)
message("report.pdf.failed", "Chromium could not print the PDF: {reason}")
message("report.html.bridged", "Bridged accounts")
message("report.html.posts", "Posts")
message("report.html.reserve", "Keeping your X handle")
message("report.html.step_done", "done on {date}")
message("report.html.step_left", "to do")
message("report.html.sent", "sent")
message("report.html.queued", "waiting")
message("report.html.failed", "failed")
message("report.html.portable", "The portable share of your audience")
message(
    "report.html.method.known",
    "A lower bound: only the followers your archive names or a directory lists could be looked up.",
)
message(
    "report.html.method.sample",
    "Estimated from {sample} followers drawn at random, each looked up.",
)
message("report.pdf.progress", "Printing the PDF with Chromium")
message(
    "report.next_login_overdue",
    "Log in to X now to keep your handle: a login was due by {date}. Then record it with portabilite reserve --logged-in.",
)

# -- the local web page (issue 14) ----------------------------------------------------------------
message(
    "help.web",
    "Open a local web page for the whole move: import, review with faces, follow with live progress, the redirect post, the report. It listens on this computer only.",
)
message("help.web_port", "The port to listen on, on 127.0.0.1 (default: a free one).")
message("help.web_no_browser", "Print the address without opening the browser.")
message(
    "help.web_avatars",
    "Show the avatars: the page fetches them from Bluesky and from the Mastodon servers (they see your address). Off by default: placeholders.",
)
message("web.open", "The page is at {url} (the address holds a key: do not share it).")
message("web.stop", "Press Ctrl-C to stop it; a follow run stopped midway resumes on the next one.")
message("web.stopped", "The page is stopped.")
message("web.cannot_listen", "Cannot listen on port {port} of 127.0.0.1: {reason}")
message(
    "web.refused_token",
    "This page needs the key in the address portabilite web printed: open that address again.",
)
message("web.refused_host", "This page answers only at 127.0.0.1 or localhost.")
message("web.refused_origin", "Refused: this request did not come from the portabilite page.")
message("web.refused_csrf", "Refused: the form is out of date. Reload the page and try again.")
message("web.no_archive", "Choose your X archive, or type its path.")
message("web.busy", "This step is running already: wait for it to end.")
message("web.bad_decision", "Unknown choice: accept or reject.")
message("web.title", "Leave X without losing your network")
message("web.nav", "Steps")
message("web.nav.import", "Import")
message("web.nav.review", "Review")
message("web.nav.follow", "Follow")
message("web.nav.post", "Redirect post")
message("web.nav.report", "Report")
message("web.footer", "portabilite runs on your computer: your archive and your network stay here.")
message("web.error", "Something is wrong")
message("web.back_home", "Back to the start")
message("web.reload", "Reload the page to see where it stands.")
message("web.account", "@{username} ({display_name})")
plural("web.following", "{count} account you follow", "{count} accounts you follow", n="count")
plural("web.followers", "{count} follower", "{count} followers", n="count")
plural("web.to_review", "{count} candidate to review", "{count} candidates to review", n="count")
message("web.review_now", "Review the candidates")
message("web.import.title", "Import your X archive")
message(
    "web.import.explain",
    "The archive is the zip X sends when you ask for your data (Settings, Your account, Download an archive of your data). It is read here, on your computer. A directory file (CSV or JSON: who moved where) is optional.",
)
message("web.import.archive", "Your X archive")
message("web.import.directory", "A directory file (optional)")
message("web.import.pick", "Choose the file:")
message("web.import.or_path", "or type its path:")
message("web.import.submit", "Import")
message("web.import.running", "Importing…")
message(
    "web.import.done",
    "The archive is imported, and the directory read: review the candidates next.",
)
message("web.progress.archive", "Reading the archive")
message("web.progress.matching", "Finding your people")
message("web.matches.title", "The people found")
message(
    "web.matches.keys",
    "Keys: J or ↓ next, K or ↑ previous, A accept, R reject.",
)
message("web.matches.none", "No candidate with these filters.")
message("web.filter.network", "Network")
message("web.filter.status", "Status")
message("web.filter.relation", "Among")
message("web.filter.all", "all")
message("web.filter.apply", "Show")
message("web.value.bluesky", "Bluesky")
message("web.value.mastodon", "Mastodon")
message("web.value.probable", "to review")
message("web.value.confirmed", "confirmed")
message("web.value.rejected", "rejected")
message("web.value.following", "the accounts you follow")
message("web.value.follower", "your followers")
message("web.bridged", "bridge")
message("web.score", "score {score}")
message("web.decided.accepted", "you accepted it")
message("web.decided.rejected", "you rejected it")
message("web.accept", "Accept")
message("web.reject", "Reject")
message("web.follow.title", "Follow your people")
message("web.follow.running", "Following…")
message(
    "web.follow.keeps_running",
    "You can close this tab: the follows go on in portabilite, and this page shows them again when you open it.",
)
message("web.follow.finished", "Follow run finished")
message(
    "web.follow.result",
    "{service}: {done} followed, {failed} failed, {remaining} left for later.",
)
message("web.follow.plan", "The plan")
message(
    "web.follow.dry_run",
    "This is a dry run: nothing is written until you press the button. Those already followed are left out.",
)
plural("web.follow.to_follow", "{count} account to follow", "{count} accounts to follow", n="count")
message(
    "web.follow.duration",
    "Time needed: {duration}, at the networks' pace and within their daily caps.",
)
message("web.follow.heading", "{service}: {accounts}")
plural("web.follow.more", "and {count} more", "and {count} more", n="count")
message("web.follow.submit", "Follow them")
message("web.post.title", "The redirect post")
message(
    "web.post.explain",
    "What portabilite will post on each network to say where you are now (queue it with portabilite post queue).",
)
message("web.post.length", "{used} characters of {limit}")
message("web.post.bluesky", "Your Bluesky handle:")
message("web.post.mastodon", "Your Mastodon address:")
message("web.post.preview", "Preview")
message("web.avatars.show", "Show the faces")
message("web.avatars.hide", "Hide the faces")
message(
    "web.avatars.explain",
    "The page then asks Bluesky and the Mastodon servers for the pictures: they see your address.",
)
message(
    "web.stopped_follow",
    "A follow run was stopped midway: nothing is lost, the next one (here or with portabilite follow) picks it up where it stopped.",
)
message(
    "web.stopped_import",
    "An import was stopped midway: the workspace is as it was before it; import the archive again.",
)
message("web.not_found", "There is no such page here.")
message(
    "web.plan_changed",
    "The plan changed since you read it (an import or a review in the meantime): look at it again, then follow.",
)
message(
    "report.sample_stale",
    "Your sample of followers was drawn before your last import: draw it again with portabilite report --sample N (the profiles already read are not paid for again).",
)
message("report.cannot_write", "Cannot write the report to {path}: {reason}.")
message("report.pdf.exit", "Chromium stopped with code {code} without printing")
message("report.pdf.timeout", "Chromium did not finish within {seconds} seconds")
message("web.import.placeholder", "~/Downloads/twitter-2026-11-30.zip")
message("web.post.bluesky_example", "name.bsky.social")
message("web.post.mastodon_example", "name@instance.example")

# -- the directory service (issue 15) -------------------------------------------------------------
message(
    "evidence.directory_x_post",
    "proven on X by a public post of @{x_handle}, the account's current handle, listed by the directory server “{source}” {dated}",
)
message(
    "evidence.directory_x_post_stale",
    "proven on X by a post of @{x_handle}, listed by the directory server “{source}” {dated}: not this account's current handle",
)
message(
    "evidence.directory_self_declared",
    "registered under this X id on the directory server “{source}” {dated}, without proof on X",
)
message("evidence_kind.directory_x_post", "a directory server saw it proven on X")
message("evidence_kind.directory_x_post_stale", "proven on X under an old handle")
message("evidence_kind.directory_self_declared", "in a directory server, self-declared")
message("service.bad_request", "The directory server did not understand the request.")
message(
    "service.bad_ranges",
    "A look-up names from 1 to {max} ranges of {digits} hexadecimal digits.",
)
message(
    "service.slow_down", "Too many requests to the directory server: wait a little and try again."
)
message("service.no_entry", "The directory server has no entry for the X id {x_id}.")
message(
    "service.no_new_account",
    "Name at least one new account (Bluesky or Mastodon) to register.",
)
message(
    "service.no_claim",
    "This registration is unknown, expired or used already: start again (portabilite directory register).",
)
message("service.no_proof", "Nothing could be proven: the registration is refused.")
message(
    "service.weaker_proof",
    "An entry proven on X exists for this account: prove the X account again (a public post with the code) to change it.",
)
message(
    "service.proof_bluesky_unknown",
    "The Bluesky account {account} cannot be found, or its DID document does not name it.",
)
message(
    "service.proof_bluesky_missing",
    "The proof record is not in the repository of {account}, or does not hold this registration's code.",
)
message(
    "service.proof_mastodon_missing",
    "The code was not found in a profile field, the bio or the last public posts of {account}.",
)
message(
    "service.proof_x_bad_url",
    "{url} is not the address of a post on X (https://x.com/NAME/status/NUMBER).",
)
message(
    "service.proof_x_missing",
    "The post is not a public post of @{handle} holding this registration's code.",
)
message("service.bad_key", "{path} is not an Ed25519 private key (PEM).")
message(
    "service.bad_signature",
    "The directory server {server} sent entries its key did not sign: none of its answer is used.",
)
message(
    "service.key_changed",
    "The directory server {server} signs with another key than the one seen first: its answer is not used. If the operator changed it, remove the server and add it again.",
)
message("service.unreachable", "The directory server {server} did not answer: {reason}")
message("service.refused", "The directory server {server} refused: {reason}")
message(
    "service.needs_extra",
    "The directory server needs PostgreSQL's driver and Alembic: pip install 'portabilite[server]'.",
)
message(
    "service.needs_database",
    "Name the database: --database postgresql://… or PORTABILITE_DIRECTORY_DATABASE.",
)
message(
    "service.bad_export",
    "This is not a directory server's export (its first line names the server and its key).",
)
message(
    "service.internal",
    "The directory server failed on this request; its operator can see why in its log.",
)
message(
    "help.directory_server",
    "Also look the accounts up on this directory server (repeatable; remembered): only hash prefixes of X ids are sent, never an id.",
)
message(
    "help.service_serve",
    "Run a directory server: people register who they are now, with proofs; anyone looks accounts up without revealing whom they follow. Needs PostgreSQL.",
)
message(
    "help.service_database",
    "The PostgreSQL database (postgresql://…); default: PORTABILITE_DIRECTORY_DATABASE.",
)
message(
    "help.service_key",
    "The server's Ed25519 signing key (PEM), made there if the file does not exist.",
)
message("help.service_public_url", "The server's public address, named in the entries it signs.")
message("help.service_host", "The address to listen on.")
message("help.service_port", "The port to listen on.")
message("help.service_appview", "The Bluesky AppView that resolves handles.")
message("help.service_plc", "The PLC directory that holds Bluesky DID documents.")
message("help.service_oembed", "X's oEmbed endpoint, which shows public posts.")
message(
    "help.service_allow_host",
    "A host the server may read proofs from even if it is private (repeatable).",
)
message(
    "help.service_mirror",
    "Copy another directory server's export (its address or a file) into this server's database; every entry's signature is checked.",
)
message(
    "help.service_register",
    "Register your X account on a directory server with your new accounts, proven: a record in your Bluesky repository (written for you), a code in your Mastodon profile, and a public post on X if you want the X side proven.",
)
message(
    "help.service_unregister",
    "Delete your entry from a directory server for good (proven again by one of its accounts).",
)
message("help.service_server", "The directory server's address.")
message("help.service_mastodon", "Your Mastodon address, to register and prove too.")
message("help.service_no_bluesky", "Do not register the Bluesky account you are logged in to.")
message("service.serving", "Directory server {url} listening on {host}:{port}; Ctrl-C stops it.")
message(
    "service.mirrored", "Copied from {source}: {entries} and {tombstones}, each signature checked."
)
plural("count.service_entries", "{count} entry", "{count} entries", n="count")
plural("count.service_deletions", "{count} deletion", "{count} deletions", n="count")
plural("count.ranges_asked", "{count} range asked", "{count} ranges asked", n="count")
plural(
    "count.entries_yours",
    "{count} entry for your accounts",
    "{count} entries for your accounts",
    n="count",
)
message(
    "service.mastodon_steps",
    "On Mastodon, add a profile field named portabilite with the value {code} (Edit profile, Extra fields), or post it publicly.",
)
message("service.press_enter", "Press Enter once it is there")
message(
    "service.x_steps",
    "To prove your X account too, post publicly on X a post holding {code}; the server reads it through X's public embed. Leave empty to register without proof on X.",
)
message("service.x_post_url", "The post's address (https://x.com/…/status/…)")
message(
    "service.needs_terminal",
    "Proving a Mastodon account needs you at a terminal (a code goes in your profile): run it without --json, in a terminal.",
)
message("service.registered", "Registered on {server}: X @{x_handle} is now {accounts}.")
message(
    "service.proof.oauth", "The X account is proven by X itself: people who follow you find you."
)
message(
    "service.proof.post",
    "The X account is proven by your public post: people who follow you find you while @{x_handle} is your handle.",
)
message(
    "service.proof.self",
    "The X side is self-declared: people who follow you see it as a lead to review, not as a proof.",
)
message(
    "service.unregistered",
    "Your entry is deleted from {server}, for good; mirrors drop it at their next copy.",
)
message("service.looked_up", "Directory server {server}: {ranges}, {entries}.")
