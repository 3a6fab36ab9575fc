"""Every sentence portabilite shows a person, in English and French, with the same placeholders.

Keys are stable ids (``area.what``); ``tests/test_i18n.py`` checks both languages exist and use the
same ``{placeholders}``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- where ---------------------------------------------------------------------------------
    "where.file_line": {
        "en": "{file}, line {line}",
        "fr": "{file}, ligne {line}",
    },
    # -- archive: the path -----------------------------------------------------------------------
    "archive.path_missing": {
        "en": "{path}: no such file or folder.",
        "fr": "{path} : ce fichier ou dossier n'existe pas.",
    },
    "archive.unreadable": {
        "en": "{path}: cannot be read (permission denied).",
        "fr": "{path} : lecture impossible (permission refusée).",
    },
    "archive.not_zip_or_folder": {
        "en": "{path} is neither a .zip file nor a folder: give the X archive you downloaded.",
        "fr": "{path} n'est ni un fichier .zip ni un dossier : indiquez l'archive X téléchargée.",
    },
    "archive.zip_corrupt": {
        "en": "{file} is a damaged or incomplete zip ({reason}): download the archive again.",
        "fr": "{file} est un zip abîmé ou incomplet ({reason}) : téléchargez l'archive à nouveau.",
    },
    "archive.not_x_archive": {
        "en": "{path} is not an X archive: it has no data/manifest.js, account.js or "
        "Grailbird files.",
        "fr": "{path} n'est pas une archive X : elle ne contient ni data/manifest.js, "
        "ni account.js, ni fichiers Grailbird.",
    },
    "archive.member_corrupt": {
        "en": "{file} inside the archive is damaged ({reason}): download the archive again.",
        "fr": "{file} dans l'archive est abîmé ({reason}) : téléchargez l'archive à nouveau.",
    },
    "archive.member_too_large": {
        "en": "{file} inside the archive inflates beyond {limit} bytes: refused as unsafe.",
        "fr": "{file} dans l'archive dépasse {limit} octets une fois décompressé : refusé "
        "par sécurité.",
    },
    "archive.member_ratio": {
        "en": "{file} inside the archive inflates more than {ratio} times its size (a zip "
        "bomb?): refused as unsafe.",
        "fr": "{file} dans l'archive grossit plus de {ratio} fois à la décompression "
        "(bombe zip ?) : refusé par sécurité.",
    },
    "archive.too_many_parts": {
        "en": "The archive splits {file} into {count} files (X writes a few): refused as unsafe.",
        "fr": "L'archive découpe {file} en {count} fichiers (X en écrit quelques-uns) : refusée "
        "par sécurité.",
    },
    "archive.archive_ratio": {
        "en": "The archive's data files inflate more than {ratio} times their size (a zip "
        "bomb?): refused as unsafe.",
        "fr": "Les fichiers de données de l'archive grossissent plus de {ratio} fois à la "
        "décompression (bombe zip ?) : archive refusée par sécurité.",
    },
    "archive.archive_too_large": {
        "en": "The archive's data files inflate beyond {limit} GiB: refused as unsafe.",
        "fr": "Les fichiers de données de l'archive dépassent {limit} Gio une fois "
        "décompressés : archive refusée par sécurité.",
    },
    "archive.member_swapped": {
        "en": "{file} in the archive folder was changed or replaced (by a link or another file) "
        "while it was being read: refused. Leave the folder alone during the import, or import the "
        ".zip.",
        "fr": "{file} dans le dossier de l'archive a été modifié ou remplacé (par un lien ou "
        "un autre fichier) pendant la lecture : refusé. Ne touchez pas au dossier pendant "
        "l'import, ou importez le .zip.",
    },
    "archive.unsafe_name": {
        "en": "The archive holds a file named {file}, which points outside the archive: X never "
        "writes such names, so it is refused.",
        "fr": "L'archive contient un fichier nommé {file}, qui pointe hors de l'archive : X "
        "n'écrit jamais de tels noms, elle est donc refusée.",
    },
    # -- archive: the data files -----------------------------------------------------------------
    "archive.not_js_data": {
        "en": "{where}: not an X data file (no 'window.YTD... =' assignment).",
        "fr": "{where} : ce n'est pas un fichier de données X (pas d'affectation "
        "« window.YTD... = »).",
    },
    "archive.empty_data": {
        "en": "{where}: the data file is empty or cut short.",
        "fr": "{where} : le fichier de données est vide ou tronqué.",
    },
    "archive.not_utf8": {
        "en": "{where}: the file is not UTF-8 text.",
        "fr": "{where} : le fichier n'est pas du texte UTF-8.",
    },
    "archive.not_streamable": {
        "en": "{where}: not laid out as X writes its files, and too large ({limit} MiB or more) "
        "to be read whole: put back the file from the archive X sent, or download it "
        "again.",
        "fr": "{where} : ce fichier n'est pas disposé comme X écrit les siens et il est trop "
        "grand ({limit} Mio ou plus) pour être lu d'un bloc : remettez le fichier de "
        "l'archive envoyée par X, ou téléchargez-la à nouveau.",
    },
    "archive.too_deep": {
        "en": "{where}: the data is nested too deeply to be an X archive file.",
        "fr": "{where} : les données sont trop imbriquées pour un fichier d'archive X.",
    },
    "archive.invalid_json": {
        "en": "{where}: invalid data ({reason}). Was the file edited? Download the archive again.",
        "fr": "{where} : données invalides ({reason}). Le fichier a-t-il été modifié ? "
        "Téléchargez l'archive à nouveau.",
    },
    "archive.not_array": {
        "en": "{where}: expected a list of entries.",
        "fr": "{where} : une liste d'entrées était attendue.",
    },
    "archive.bad_item": {
        "en": "{where}: entry {index} is not of the form {expected}.",
        "fr": "{where} : l'entrée {index} n'a pas la forme {expected}.",
    },
    "archive.no_account": {
        "en": "{where}: the archive does not say whose account it is (account.js is missing "
        "or empty).",
        "fr": "{where} : l'archive ne dit pas à quel compte elle appartient (account.js "
        "manque ou est vide).",
    },
    # -- archive: warnings -------------------------------------------------------------------------
    "archive.grailbird_no_follows": {
        "en": "This is a pre-2018 tweet archive: it holds your tweets but no list of who you "
        "follow. Request a current archive at {url} (it arrives within a few days).",
        "fr": "C'est une archive de tweets d'avant 2018 : elle contient vos tweets mais pas la "
        "liste de vos abonnements. Demandez une archive récente sur {url} (elle arrive "
        "en quelques jours).",
    },
    "archive.manifest_missing": {
        "en": "data/manifest.js is missing: files were found by their names.",
        "fr": "data/manifest.js manque : les fichiers ont été trouvés par leur nom.",
    },
    "archive.manifest_unreadable": {
        "en": "data/manifest.js could not be read ({reason}): files were found by their names.",
        "fr": "data/manifest.js est illisible ({reason}) : les fichiers ont été trouvés par "
        "leur nom.",
    },
    "archive.partial": {
        "en": "X marked this archive as partial: some data may be missing.",
        "fr": "X indique que cette archive est partielle : des données peuvent manquer.",
    },
    "hints.invalid_json": {
        "en": "{file}: not a hints file ({reason}).",
        "fr": "{file} : ce n'est pas un fichier d'indices ({reason}).",
    },
    "hints.bad_header": {
        "en": "{file}: a hints file needs the columns x_id and handle (name is optional), or "
        "lines 'handle https://twitter.com/i/user/ID'.",
        "fr": "{file} : un fichier d'indices a les colonnes x_id et handle (name en option), ou "
        "des lignes « handle https://twitter.com/i/user/ID ».",
    },
    "archive.no_follow_list": {
        "en": "{path} holds no list of the accounts you follow (data/following.js): nothing was "
        "imported. Ask X for a current archive at {url} (it arrives within a few days).",
        "fr": "{path} ne contient pas la liste des comptes que vous suivez (data/following.js) : "
        "rien n'a été importé. Demandez une archive récente à X sur {url} (elle arrive en "
        "quelques jours).",
    },
    "archive.file_missing": {
        "en": "{file} is listed by the manifest (count: {count}) but is not in the archive.",
        "fr": "{file} figure dans le manifeste (nombre : {count}) mais n'est pas dans l'archive.",
    },
    "archive.file_unlisted": {
        "en": "{file} is not listed by the manifest: read anyway.",
        "fr": "{file} ne figure pas dans le manifeste : lu quand même.",
    },
    "archive.count_mismatch": {
        "en": "{file}: the manifest announces {declared} entries but the file holds {read} "
        "(was the archive edited?).",
        "fr": "{file} : le manifeste annonce {declared} entrées mais le fichier en contient "
        "{read} (l'archive a-t-elle été modifiée ?).",
    },
    "archive.account_from_manifest": {
        "en": "account.js is missing: the account was read from the manifest.",
        "fr": "account.js manque : le compte a été lu dans le manifeste.",
    },
    # -- workspace -------------------------------------------------------------------------------
    "workspace.account_mismatch": {
        "en": "This archive belongs to @{archive_user} ({archive_id}) but the workspace {path} "
        "holds @{workspace_user} ({workspace_id}): use another --workspace.",
        "fr": "Cette archive appartient à @{archive_user} ({archive_id}) mais l'espace de "
        "travail {path} contient @{workspace_user} ({workspace_id}) : utilisez un autre "
        "--workspace.",
    },
    "workspace.older_archive": {
        "en": "This archive was made on {generated_at}, before the one already imported "
        "({newest}): nothing was changed.",
        "fr": "Cette archive date du {generated_at}, avant celle déjà importée ({newest}) : "
        "rien n'a été modifié.",
    },
    "workspace.nothing_imported": {
        "en": "The workspace {path} holds no archive yet: run 'portabilite import ARCHIVE.zip' "
        "first.",
        "fr": "L'espace de travail {path} ne contient pas encore d'archive : lancez d'abord "
        "« portabilite import ARCHIVE.zip ».",
    },
    "workspace.too_new": {
        "en": "The workspace {path} was written by a newer portabilite (schema {version}, this "
        "one knows {supported}): upgrade portabilite.",
        "fr": "L'espace de travail {path} a été écrit par un portabilite plus récent (schéma "
        "{version}, celui-ci connaît {supported}) : mettez portabilite à jour.",
    },
    "workspace.unusable": {
        "en": "The workspace {path} cannot be used: {reason}.",
        "fr": "L'espace de travail {path} est inutilisable : {reason}.",
    },
    # -- command line ------------------------------------------------------------------------------
    "cli.internal_error": {
        "en": "Internal error ({error}). Nothing was half-written. Please report it; "
        "PORTABILITE_DEBUG=1 shows the details.",
        "fr": "Erreur interne ({error}). Rien n'a été écrit à moitié. Merci de la signaler ; "
        "PORTABILITE_DEBUG=1 affiche les détails.",
    },
    "cli.interrupted": {
        "en": "Interrupted: nothing was changed.",
        "fr": "Interrompu : rien n'a été modifié.",
    },
    "cli.error_prefix": {
        "en": "Error: {message}",
        "fr": "Erreur : {message}",
    },
    "cli.progress_reading": {
        "en": "Reading the archive",
        "fr": "Lecture de l'archive",
    },
    "cli.import.done": {
        "en": "Imported the archive of @{username} ({display_name}), made on {generated_at}.",
        "fr": "Archive de @{username} ({display_name}) importée, créée le {generated_at}.",
    },
    "cli.import.unchanged": {
        "en": "This archive of @{username} was already imported: nothing changed.",
        "fr": "Cette archive de @{username} était déjà importée : rien n'a changé.",
    },
    "cli.import.changes": {
        "en": "Since the previous archive: {changes}.",
        "fr": "Depuis l'archive précédente : {changes}.",
    },
    "cli.change": {
        "en": "{kind} +{added} -{removed}",
        "fr": "{kind} +{added} -{removed}",
    },
    "cli.status.header": {
        "en": "Workspace {path}: @{username} ({display_name}), archive of {generated_at} "
        "({layout}), imported {imported_at}.",
        "fr": "Espace de travail {path} : @{username} ({display_name}), archive du "
        "{generated_at} ({layout}), importée le {imported_at}.",
    },
    "cli.counts": {
        "en": "Following {following} · followers {followers} · blocked {blocks} · muted {mutes}"
        " · lists {lists} · tweets {tweets}",
        "fr": "Abonnements {following} · abonnés {followers} · bloqués {blocks} · masqués "
        "{mutes} · listes {lists} · tweets {tweets}",
    },
    "cli.hints": {
        "en": "Your tweets name {handle_hints} accounts; {following_named} of the {following} "
        "accounts you follow are named ({percent}%).",
        "fr": "Vos tweets nomment {handle_hints} comptes ; {following_named} des {following} "
        "comptes que vous suivez sont nommés ({percent} %).",
    },
    "cli.warnings": {
        "en": "Warnings:",
        "fr": "Avertissements :",
    },
    "cli.unknown_date": {
        "en": "an unknown date",
        "fr": "date inconnue",
    },
    "cli.expected.missing": {
        "en": "{kind} {read} of {expected} ({files} missing from this archive): ask X for a new "
        "archive at {url}",
        "fr": "{kind} {read} sur {expected} (manque dans cette archive : {files}) : demandez "
        "une nouvelle archive à X sur {url}",
    },
    "cli.expected.fewer": {
        "en": "{kind} {read} of {expected} (the archive holds fewer than it announces: was it "
        "edited?): ask X for a new archive at {url}",
        "fr": "{kind} {read} sur {expected} (l'archive en contient moins qu'elle n'en annonce : "
        "a-t-elle été modifiée ?) : demandez une nouvelle archive à X sur {url}",
    },
    "cli.expected.more_files": {"en": "{first} and {more} more", "fr": "{first} et {more} autres"},
    "cli.kind.tweet": {"en": "tweets", "fr": "tweets"},
    "cli.kind.following": {"en": "following", "fr": "abonnements"},
    "cli.kind.follower": {"en": "followers", "fr": "abonnés"},
    "cli.kind.block": {"en": "blocked", "fr": "bloqués"},
    "cli.kind.mute": {"en": "muted", "fr": "masqués"},
    "cli.kind.list": {"en": "lists", "fr": "listes"},
}

MESSAGES.update(
    {
        # -- help texts (chosen by PORTABILITE_LANG / the locale when the command starts) -----------
        "help.main": {
            "en": "Leave X without losing your network or your name.\n\nImport your X archive, "
            "find the people you follow on Bluesky and Mastodon, follow them, keep your "
            "handle. Exit codes: 0 ok, 1 bad input or refused, 2 usage error, 3 internal "
            "error, 130 interrupted.",
            "fr": "Quitter X sans perdre votre réseau ni votre nom.\n\nImportez votre archive X, "
            "retrouvez vos abonnements sur Bluesky et Mastodon, suivez-les, gardez votre "
            "identifiant. Codes de sortie : 0 ok, 1 entrée invalide ou refusée, 2 erreur "
            "d'utilisation, 3 erreur interne, 130 interrompu.",
        },
        "help.lang": {
            "en": "Language of messages: en or fr (default: PORTABILITE_LANG, then the locale).",
            "fr": "Langue des messages : en ou fr (par défaut : PORTABILITE_LANG, puis la locale).",
        },
        "help.workspace": {
            "en": "The workspace file (default: PORTABILITE_WORKSPACE, else workspace.sqlite3 in "
            "your user data folder).",
            "fr": "Le fichier d'espace de travail (par défaut : PORTABILITE_WORKSPACE, sinon "
            "workspace.sqlite3 dans votre dossier de données utilisateur).",
        },
        "help.json": {
            "en": "Print one JSON object instead of text.",
            "fr": "Afficher un objet JSON au lieu du texte.",
        },
        "help.import": {
            "en": "Import an X archive (the .zip X sent you, or its unzipped folder) into the "
            "workspace. Safe to repeat: the same archive changes nothing, a newer one "
            "updates the facts.",
            "fr": "Importer une archive X (le .zip envoyé par X, ou son dossier décompressé) dans "
            "l'espace de travail. Sans risque à répéter : la même archive ne change rien, une "
            "plus récente met les données à jour.",
        },
        "help.status": {
            "en": "Show where the workspace stands.",
            "fr": "Montrer où en est l'espace de travail.",
        },
        "cli.usage_error": {
            "en": "Usage error: {message} (see 'portabilite --help').",
            "fr": "Erreur d'utilisation : {message} (voir « portabilite --help »).",
        },
        "cli.workspace_line": {
            "en": "Workspace: {path}",
            "fr": "Espace de travail : {path}",
        },
    }
)

MESSAGES.update(
    {
        # -- credentials -----------------------------------------------------------------------------
        "credentials.unreadable": {
            "en": "The credentials file {path} cannot be read ({reason}).",
            "fr": "Le fichier d'identifiants {path} est illisible ({reason}).",
        },
        "credentials.unwritable": {
            "en": "The credentials file {path} cannot be written ({reason}).",
            "fr": "Impossible d'écrire le fichier d'identifiants {path} ({reason}).",
        },
        # -- networks ------------------------------------------------------------------------------
        "network.not_logged_in": {
            "en": "You are not logged in to {service}: run 'portabilite login {network}'.",
            "fr": "Vous n'êtes pas connecté à {service} : lancez « portabilite login {network} ».",
        },
        "network.auth_failed": {
            "en": "{service} refused the login ({reason}): check the identifier and the password "
            "or token.",
            "fr": "{service} a refusé la connexion ({reason}) : vérifiez l'identifiant et le mot "
            "de passe ou le jeton.",
        },
        "network.session_expired": {
            "en": "Your {service} session has expired: run 'portabilite login {network}' again.",
            "fr": "Votre session {service} a expiré : relancez « portabilite login {network} ».",
        },
        "network.rate_limited": {
            "en": "{service} asks us to slow down: try again after {when}.",
            "fr": "{service} demande de ralentir : réessayez après {when}.",
        },
        "network.budget_spent": {
            "en": "The {service} write budget is spent for now: the next window opens at {when}.",
            "fr": "Le budget d'écritures {service} est épuisé pour l'instant : la prochaine fenêtre "
            "s'ouvre à {when}.",
        },
        "network.unreachable": {
            "en": "{host} ({service}) did not answer ({reason}): check your connection or try "
            "later.",
            "fr": "{host} ({service}) ne répond pas ({reason}) : vérifiez votre connexion ou "
            "réessayez plus tard.",
        },
        "network.account_unavailable": {
            "en": "The {service} account {account} is not available ({reason}).",
            "fr": "Le compte {service} {account} n'est pas disponible ({reason}).",
        },
        "network.refused": {
            "en": "{service} refused the request ({status}: {reason}).",
            "fr": "{service} a refusé la requête ({status} : {reason}).",
        },
        "network.answer_too_large": {
            "en": "{host} sent an answer larger than {limit} MiB: refused (no {service} answer "
            "portabilite reads is that large).",
            "fr": "{host} a envoyé une réponse de plus de {limit} Mio : refusée (aucune réponse de "
            "{service} lue par portabilite n'est aussi grande).",
        },
        "network.redirect_refused": {
            "en": "{host} answered with a redirect to {target}: portabilite does not follow "
            "redirects from a {service} server. Check the server address.",
            "fr": "{host} a répondu par une redirection vers {target} : portabilite ne suit pas "
            "les redirections d'un serveur {service}. Vérifiez l'adresse du serveur.",
        },
        "network.blocked_host": {
            "en": "Not contacting {host}: it is {reason}. Configure it explicitly if it is your own "
            "server.",
            "fr": "{host} n'est pas contacté : c'est {reason}. Configurez-le explicitement s'il "
            "s'agit de votre propre serveur.",
        },
        "network.bad_response": {
            "en": "{service} sent an answer portabilite does not understand ({reason}).",
            "fr": "{service} a envoyé une réponse que portabilite ne comprend pas ({reason}).",
        },
    }
)

# Fragments kept beside the code that uses them.
from ._catalog_mastodon import MESSAGES as _MASTODON  # noqa: E402
from ._catalog_x import MESSAGES as _X  # noqa: E402

MESSAGES.update(_MASTODON)
MESSAGES.update(_X)

MESSAGES.update(
    {
        "help.login": {
            "en": "Log in to a network (bluesky, mastodon, x). The session is saved in the system "
            "keyring, else in a private file; never in the workspace.",
            "fr": "Se connecter à un réseau (bluesky, mastodon, x). La session est enregistrée "
            "dans le trousseau du système, sinon dans un fichier privé ; jamais dans "
            "l'espace de travail.",
        },
        "help.login_bluesky": {
            "en": "Log in to Bluesky with your handle and an app password (Settings > Privacy and "
            "security > App passwords). The PDS is found from your handle.",
            "fr": "Se connecter à Bluesky avec votre identifiant et un mot de passe d'application "
            "(Paramètres > Confidentialité et sécurité > Mots de passe d'application). Le "
            "PDS est trouvé à partir de l'identifiant.",
        },
        "help.handle": {
            "en": "Your Bluesky handle (or DID).",
            "fr": "Votre identifiant Bluesky (ou DID).",
        },
        "help.pds": {
            "en": "Your PDS URL, if it cannot be found from the handle (PORTABILITE_BLUESKY_PDS).",
            "fr": "L'URL de votre PDS, si elle ne peut pas être trouvée à partir de l'identifiant "
            "(PORTABILITE_BLUESKY_PDS).",
        },
        "help.appview": {
            "en": "The AppView used for reads (PORTABILITE_BLUESKY_APPVIEW; default: the public "
            "one).",
            "fr": "L'AppView utilisée pour les lectures (PORTABILITE_BLUESKY_APPVIEW ; par défaut "
            "la publique).",
        },
        "help.plc": {
            "en": "The PLC directory (PORTABILITE_PLC_URL; default: plc.directory).",
            "fr": "L'annuaire PLC (PORTABILITE_PLC_URL ; par défaut : plc.directory).",
        },
        "help.password_stdin": {
            "en": "Read the app password from standard input (for scripts) instead of asking.",
            "fr": "Lire le mot de passe d'application sur l'entrée standard (pour les scripts) au "
            "lieu de le demander.",
        },
        "help.logout": {
            "en": "Forget the saved session of a network.",
            "fr": "Oublier la session enregistrée d'un réseau.",
        },
        "help.accounts": {
            "en": "Show who is logged in where (never a secret).",
            "fr": "Montrer qui est connecté où (jamais un secret).",
        },
        "help.check": {
            "en": "Also ask each network whether the saved session still works.",
            "fr": "Demander aussi à chaque réseau si la session enregistrée fonctionne encore.",
        },
        "cli.login.prompt_handle": {
            "en": "Bluesky handle (e.g. you.bsky.social)",
            "fr": "Identifiant Bluesky (par ex. vous.bsky.social)",
        },
        "cli.login.prompt_app_password": {
            "en": "App password (not your main password)",
            "fr": "Mot de passe d'application (pas votre mot de passe principal)",
        },
        "cli.login.app_password_help": {
            "en": "Create an app password on Bluesky: Settings > Privacy and security > App "
            "passwords > Add App Password (https://bsky.app/settings/app-passwords). You can "
            "revoke it there at any time.",
            "fr": "Créez un mot de passe d'application sur Bluesky : Paramètres > Confidentialité "
            "et sécurité > Mots de passe d'application > Ajouter "
            "(https://bsky.app/settings/app-passwords). Vous pouvez le révoquer à tout moment.",
        },
        "cli.login.empty_password": {
            "en": "No password was given.",
            "fr": "Aucun mot de passe n'a été donné.",
        },
        "cli.login.done": {
            "en": "Logged in to {network} as {account} ({server}). Session saved in {source}.",
            "fr": "Connecté à {network} en tant que {account} ({server}). Session enregistrée dans "
            "{source}.",
        },
        "cli.logout.done": {
            "en": "Logged out of {network}: the saved session is forgotten.",
            "fr": "Déconnecté de {network} : la session enregistrée est oubliée.",
        },
        "cli.logout.none": {
            "en": "No saved session for {network}.",
            "fr": "Aucune session enregistrée pour {network}.",
        },
        "cli.accounts.none": {
            "en": "Not logged in anywhere yet: run 'portabilite login bluesky' or 'portabilite "
            "login mastodon'.",
            "fr": "Connecté nulle part pour l'instant : lancez « portabilite login bluesky » ou "
            "« portabilite login mastodon ».",
        },
        "cli.accounts.line": {
            "en": "{network}: {account} on {server} (since {logged_in_at}; {source})",
            "fr": "{network} : {account} sur {server} (depuis {logged_in_at} ; {source})",
        },
        "cli.accounts.ok": {
            "en": "  session works",
            "fr": "  la session fonctionne",
        },
        "cli.accounts.failed": {
            "en": "  session does not work: {message}",
            "fr": "  la session ne fonctionne pas : {message}",
        },
    }
)

MESSAGES.update(
    {
        "help.login_x": {
            "en": "Log in to X (optional: used to post the redirect message and set the profile). "
            "OAuth 2.0 with your app's client id, or --oauth1 with the four keys of the X "
            "developer portal. Reading or posting through the X API costs money.",
            "fr": "Se connecter à X (facultatif : sert à publier le message de redirection et à "
            "modifier le profil). OAuth 2.0 avec l'identifiant client de votre app, ou "
            "--oauth1 avec les quatre clés du portail développeur X. Lire ou publier via "
            "l'API X est payant.",
        },
        "help.oauth1": {
            "en": "Use OAuth 1.0a keys (consumer key and secret, access token and secret).",
            "fr": "Utiliser des clés OAuth 1.0a (clé et secret consommateur, jeton et secret "
            "d'accès).",
        },
        "help.client_id": {
            "en": "The OAuth 2.0 client id of your X app (PORTABILITE_X_CLIENT_ID).",
            "fr": "L'identifiant client OAuth 2.0 de votre app X (PORTABILITE_X_CLIENT_ID).",
        },
        "help.redirect_uri": {
            "en": "The callback URL registered for your X app.",
            "fr": "L'URL de rappel enregistrée pour votre app X.",
        },
        "help.secrets_stdin": {
            "en": "Read secrets (and answers) from standard input, one per line, instead of asking.",
            "fr": "Lire les secrets (et les réponses) sur l'entrée standard, un par ligne, au lieu "
            "de les demander.",
        },
        "help.no_browser": {
            "en": "Do not open a web browser; just print the address.",
            "fr": "Ne pas ouvrir de navigateur ; afficher seulement l'adresse.",
        },
        "cli.login.x_open": {
            "en": "Open this address, allow portabilite, then copy the address your browser is sent "
            "to (even if the page does not load):\n{url}",
            "fr": "Ouvrez cette adresse, autorisez portabilite, puis copiez l'adresse vers laquelle "
            "votre navigateur est renvoyé (même si la page ne s'affiche pas) :\n{url}",
        },
        "cli.login.x_paste": {
            "en": "Address (or code)",
            "fr": "Adresse (ou code)",
        },
        "cli.login.prompt_client_id": {
            "en": "Client id of your X app",
            "fr": "Identifiant client de votre app X",
        },
        "cli.login.prompt_consumer_key": {
            "en": "Consumer key (API key)",
            "fr": "Clé consommateur (clé d'API)",
        },
        "cli.login.prompt_consumer_secret": {
            "en": "Consumer secret (API key secret)",
            "fr": "Secret consommateur (secret de la clé d'API)",
        },
        "cli.login.prompt_access_token": {"en": "Access token", "fr": "Jeton d'accès"},
        "cli.login.prompt_access_token_secret": {
            "en": "Access token secret",
            "fr": "Secret du jeton d'accès",
        },
    }
)

MESSAGES.update(
    {
        "directory.unreadable": {
            "en": "{file}: cannot be read ({reason}).",
            "fr": "{file} : lecture impossible ({reason}).",
        },
        "directory.not_utf8": {
            "en": "{file}: not UTF-8 text. Saved from Excel as CSV? Then it is Windows-1252: add "
            "--encoding cp1252. Nothing was imported.",
            "fr": "{file} : ce n'est pas du texte UTF-8. Enregistré en CSV depuis Excel ? Il est "
            "alors en Windows-1252 : ajoutez --encoding cp1252. Rien n'a été importé.",
        },
        "directory.bad_encoding": {
            "en": "{file}: the encoding {encoding} is not one portabilite reads (utf-8, cp1252).",
            "fr": "{file} : l'encodage {encoding} n'est pas lu par portabilite (utf-8, cp1252).",
        },
        "directory.invalid_csv": {
            "en": "{file}: not a readable CSV file ({reason}). Nothing was imported.",
            "fr": "{file} : fichier CSV illisible ({reason}). Rien n'a été importé.",
        },
        "cli.directory.bad_line": {
            "en": "{file}, line {line}: skipped ({reason}).",
            "fr": "{file}, ligne {line} : ignorée ({reason}).",
        },
        "cli.directory.skipped": {
            "en": "{count} bad rows skipped (the first are listed above; --json lists them).",
            "fr": "{count} lignes invalides ignorées (les premières ci-dessus ; --json les liste).",
        },
        "help.encoding": {
            "en": "The file's encoding: utf-8 (the default, with or without BOM) or cp1252 "
            "(Windows-1252, what Excel saves as CSV).",
            "fr": "L'encodage du fichier : utf-8 (par défaut, avec ou sans BOM) ou cp1252 "
            "(Windows-1252, ce qu'Excel enregistre en CSV).",
        },
        "help.skip_bad_rows": {
            "en": "Keep the good rows and report each bad one with its line (default: a bad row "
            "refuses the whole file).",
            "fr": "Garder les bonnes lignes et signaler chaque mauvaise avec son numéro (par "
            "défaut, une mauvaise ligne fait refuser tout le fichier).",
        },
        "directory.invalid_json": {
            "en": "{file}: invalid JSON ({reason}).",
            "fr": "{file} : JSON invalide ({reason}).",
        },
        "directory.bad_header": {
            "en": "{file}: the first line must name the columns (x_id or x_handle, and bluesky or "
            "mastodon; known columns: {columns}).",
            "fr": "{file} : la première ligne doit nommer les colonnes (x_id ou x_handle, et bluesky "
            "ou mastodon ; colonnes connues : {columns}).",
        },
        "directory.bad_row": {
            "en": "{file}, row {row}: {reason}. Nothing was imported (--skip-bad-rows keeps the "
            "good rows and lists the bad ones).",
            "fr": "{file}, ligne {row} : {reason}. Rien n'a été importé (--skip-bad-rows garde les "
            "bonnes lignes et liste les mauvaises).",
        },
        "match.bad_decision": {
            "en": "A decision is accepted or rejected, not {decision}.",
            "fr": "Une décision est « accepted » (acceptée) ou « rejected » (rejetée), pas {decision}.",
        },
        "match.unknown_id": {
            "en": "No match has the id {id}: see 'portabilite matches'.",
            "fr": "Aucune correspondance n'a l'identifiant {id} : voir « portabilite matches ».",
        },
    }
)

MESSAGES.update(
    {
        "help.directory": {
            "en": "Directories of known mappings (X account -> Bluesky / Mastodon), shared by a "
            "community or an organisation.",
            "fr": "Annuaires de correspondances connues (compte X -> Bluesky / Mastodon), partagés "
            "par une communauté ou une organisation.",
        },
        "help.directory_import": {
            "en": "Load a directory file (CSV or JSON; columns x_id, x_handle, bluesky, mastodon, "
            "source, date: see docs/matching.md).",
            "fr": "Charger un fichier d'annuaire (CSV ou JSON ; colonnes x_id, x_handle, bluesky, "
            "mastodon, source, date : voir docs/matching.md).",
        },
        "help.source": {
            "en": "Who the mappings come from (default: the file name).",
            "fr": "D'où viennent les correspondances (par défaut : le nom du fichier).",
        },
        "help.match": {
            "en": "Find the accounts you follow (and your followers) on Bluesky and Mastodon, with "
            "the evidence for each. Online by default; what was looked up is kept, so a "
            "re-run only does new work.",
            "fr": "Retrouver vos abonnements (et vos abonnés) sur Bluesky et Mastodon, avec les "
            "indices pour chacun. En ligne par défaut ; ce qui a été consulté est gardé, une "
            "nouvelle exécution ne fait que le nouveau travail.",
        },
        "help.offline": {
            "en": "Use only the archive, the directories and earlier look-ups: no network.",
            "fr": "N'utiliser que l'archive, les annuaires et les consultations passées : pas de "
            "réseau.",
        },
        "help.refresh": {
            "en": "Look everything up again, even what was looked up before.",
            "fr": "Tout consulter à nouveau, même ce qui l'a déjà été.",
        },
        "help.require_follows": {
            "en": "Refuse (exit 1, nothing imported) an archive without the list of accounts you "
            "follow.",
            "fr": "Refuser (code 1, rien d'importé) une archive sans la liste des comptes que vous "
            "suivez.",
        },
        "help.hints": {
            "en": "Name the accounts your archive only numbers, from files other tools wrote.",
            "fr": "Nommer les comptes que votre archive ne donne que par numéro, à partir de "
            "fichiers écrits par d'autres outils.",
        },
        "help.hints_import": {
            "en": "Record an id → handle file: twitter-archive-parser's following.txt or "
            "followers.txt, or CSV / JSON with x_id, handle, name.",
            "fr": "Enregistrer un fichier identifiant → nom : following.txt ou followers.txt de "
            "twitter-archive-parser, ou CSV / JSON avec x_id, handle, name.",
        },
        "help.following": {
            "en": "Every account you follow: id, handle, every name seen and where, the link "
            "that opens it, its match per network.",
            "fr": "Chaque compte que vous suivez : identifiant, nom, chaque nom vu et où, le lien "
            "qui l'ouvre, sa correspondance par réseau.",
        },
        "help.following_followers": {
            "en": "The accounts that follow you instead.",
            "fr": "Les comptes qui vous suivent, à la place.",
        },
        "help.matches": {
            "en": "List the matches with their status, score and evidence.",
            "fr": "Lister les correspondances avec leur statut, leur score et leurs indices.",
        },
        "help.network_filter": {"en": "Only this network.", "fr": "Seulement ce réseau."},
        "help.status_filter": {"en": "Only this status.", "fr": "Seulement ce statut."},
        "help.followers": {
            "en": "Your X followers instead of the accounts you follow.",
            "fr": "Vos abonnés X au lieu des comptes que vous suivez.",
        },
        "help.format": {"en": "Output format.", "fr": "Format de sortie."},
        "help.review": {
            "en": "Review the probable matches one by one (accept, reject, skip, quit; resumable), "
            "or decide by id with --accept / --reject.",
            "fr": "Examiner les correspondances probables une à une (accepter, rejeter, passer, "
            "quitter ; reprenable), ou décider par identifiant avec --accept / --reject.",
        },
        "help.accept": {
            "en": "Accept this match id (repeatable).",
            "fr": "Accepter cette correspondance (répétable).",
        },
        "help.reject": {
            "en": "Reject this match id (repeatable).",
            "fr": "Rejeter cette correspondance (répétable).",
        },
        "cli.hints.done": {
            "en": "{file}: {read} accounts read, {added} named for the first time; {bad_count} "
            "rows skipped.",
            "fr": "{file} : {read} comptes lus, {added} nommés pour la première fois ; "
            "{bad_count} lignes ignorées.",
        },
        "cli.hints.bad_line": {
            "en": "{file}, line {line}: skipped ({reason}).",
            "fr": "{file}, ligne {line} : ignorée ({reason}).",
        },
        "cli.hints.more_bad": {
            "en": "… and {count} more rows skipped (--json lists the first ones).",
            "fr": "… et {count} autres lignes ignorées (--json donne les premières).",
        },
        "cli.following.name": {"en": "name", "fr": "nom"},
        "cli.following.seen": {"en": "names seen", "fr": "noms vus"},
        "cli.following.from.tweets": {"en": "your tweets", "fr": "vos tweets"},
        "cli.following.from.hints": {"en": "a hints file", "fr": "un fichier d'indices"},
        "cli.following.from.x_api": {"en": "the X API", "fr": "l'API X"},
        "cli.following.summary": {
            "en": "{named} of {total} named; the others open with their link.",
            "fr": "{named} sur {total} nommés ; les autres s'ouvrent par leur lien.",
        },
        "cli.directory.done": {
            "en": "{read} mappings read, {added} new; the workspace now knows {total}.",
            "fr": "{read} correspondances lues, {added} nouvelles ; l'espace de travail en connaît "
            "maintenant {total}.",
        },
        "cli.match.progress": {
            "en": "Looking up Bluesky profiles",
            "fr": "Consultation des profils Bluesky",
        },
        "cli.match.line": {
            "en": "{network}: {confirmed} confirmed, {probable} to review, {rejected} rejected",
            "fr": "{network} : {confirmed} confirmés, {probable} à examiner, {rejected} rejetés",
        },
        "cli.match.followers": {
            "en": "Your X followers already there:",
            "fr": "Vos abonnés X déjà présents :",
        },
        "cli.match.following": {
            "en": "The accounts you follow:",
            "fr": "Les comptes que vous suivez :",
        },
        "cli.match.next": {
            "en": "Next: 'portabilite review' for the probable ones, 'portabilite matches' for the "
            "list.",
            "fr": "Ensuite : « portabilite review » pour les probables, « portabilite matches » "
            "pour la liste.",
        },
        "cli.matches.none": {
            "en": "No matches yet: run 'portabilite match'.",
            "fr": "Aucune correspondance pour l'instant : lancez « portabilite match ».",
        },
        "cli.review.none": {"en": "Nothing left to review.", "fr": "Plus rien à examiner."},
        "cli.matches.none_filtered": {
            "en": "No match with these filters. What there is:",
            "fr": "Aucune correspondance avec ces filtres. Ce qu'il y a :",
        },
        "cli.review.group": {
            "en": "[{n}/{total}] X @{x_handle} ({x_id}) on {network}, candidates: {count}",
            "fr": "[{n}/{total}] X @{x_handle} ({x_id}) sur {network}, candidats : {count}",
        },
        "cli.review.score": {"en": "score", "fr": "score"},
        "cli.review.prompt_many": {
            "en": "1-{last} = this one is the person (the others are rejected), r = none of them, "
            "s = skip, q = quit",
            "fr": "1-{last} = c'est cette personne (les autres sont rejetés), r = aucun, "
            "s = passer, q = quitter",
        },
        "cli.review.prompt": {
            "en": "a = accept, r = reject, s = skip, q = quit",
            "fr": "a = accepter, r = rejeter, s = passer, q = quitter",
        },
        "cli.review.done": {
            "en": "{accepted} accepted, {rejected} rejected.",
            "fr": "{accepted} acceptées, {rejected} rejetées.",
        },
        "cli.bad_lang": {
            "en": "--lang: {value!r} is not one of {choices}.",
            "fr": "--lang : {value!r} n'est pas l'une des langues {choices}.",
        },
        "cli.workspace_damaged": {
            "en": "The workspace file is damaged. Restore it from a backup, or start"
            " a new one (-w NEW.sqlite3) and import your archive again. Nothing was changed.",
            "fr": "Le fichier d'espace de travail est endommagé. Restaurez-le depuis"
            " une sauvegarde, ou commencez-en un nouveau (-w NOUVEAU.sqlite3) et importez à"
            " nouveau votre archive. Rien n'a été modifié.",
        },
        "cli.workspace_busy": {
            "en": "The workspace is in use by another portabilite command: try again when it"
            " has finished. Nothing was changed.",
            "fr": "L'espace de travail est utilisé par une autre commande portabilite :"
            " réessayez quand elle aura fini. Rien n'a été modifié.",
        },
        "cli.follow.skipped": {
            "en": "{service}: skipped. {reason}",
            "fr": "{service} : laissé de côté. {reason}",
        },
        "cli.review.conflict": {
            "en": "--accept and --reject both name {ids}: say one or the other. Nothing was"
            " recorded.",
            "fr": "--accept et --reject nomment tous deux {ids} : choisissez l'un ou l'autre."
            " Rien n'a été enregistré.",
        },
        "cli.unknown": {"en": "unknown", "fr": "inconnu"},
    }
)

# Evidence: why a candidate is believed (or not). Parameters are filled by the resolvers.
MESSAGES.update(
    {
        "evidence.directory_x_id": {
            "en": "listed under this X id in the directory “{source}” {dated}",
            "fr": "inscrit sous cet identifiant X dans l'annuaire « {source} » {dated}",
        },
        "evidence.directory_x_handle": {
            "en": "listed under X @{name} in the directory “{source}” (handles can be reused)",
            "fr": "inscrit sous X @{name} dans l'annuaire « {source} » (les identifiants peuvent "
            "être réutilisés)",
        },
        "evidence.bio_handle": {
            "en": "the person wrote {account} in their X {where}",
            "fr": "la personne a écrit {account} dans son {where} X",
        },
        "evidence.back_link": {
            "en": "the {network} profile names X @{name}, the account's current handle",
            "fr": "le profil {network} mentionne X @{name}, l'identifiant actuel du compte",
        },
        "evidence.back_link_stale": {
            "en": "the {network} profile names X @{name}, a handle this account used before "
            "(someone else may hold it now)",
            "fr": "le profil {network} mentionne X @{name}, un identifiant que ce compte a utilisé "
            "(quelqu'un d'autre peut l'avoir repris depuis)",
        },
        "evidence.directory_x_handle_stale": {
            "en": "listed under X @{name} in the directory “{source}”, a handle this account no "
            "longer uses",
            "fr": "inscrit sous X @{name} dans l'annuaire « {source} », un identifiant que ce "
            "compte n'utilise plus",
        },
        "evidence.handle_guess_stale": {
            "en": "{handle} exists, guessed from X @{name}, a handle this account no longer uses",
            "fr": "{handle} existe, deviné à partir de X @{name}, un identifiant que ce compte "
            "n'utilise plus",
        },
        "evidence.rel_me": {
            "en": "the website of the X profile, {site}, links this profile as its owner's "
            '(rel="me")',
            "fr": "le site web du profil X, {site}, désigne ce profil comme celui de son "
            'propriétaire (rel="me")',
        },
        "evidence.cross_link": {
            "en": "the person's proven {network} account {account} names this one",
            "fr": "le compte {network} avéré de la personne, {account}, mentionne celui-ci",
        },
        "evidence.linked_from": {
            "en": "named by {account}, a possible {network} account of the person (not proven)",
            "fr": "mentionné par {account}, un compte {network} possible de la personne (non avéré)",
        },
        "evidence.user_accepted": {
            "en": "you accepted it in review",
            "fr": "vous l'avez acceptée lors de la revue",
        },
        "evidence.user_rejected": {
            "en": "you rejected it in review",
            "fr": "vous l'avez rejetée lors de la revue",
        },
        "evidence.alternative": {
            "en": "shown beside the other candidates for this X account",
            "fr": "présenté à côté des autres candidats pour ce compte X",
        },
        "evidence.conflict": {
            "en": "to check: another account is proven for this X account too",
            "fr": "à vérifier : un autre compte est aussi avéré pour ce compte X",
        },
        "evidence.shared_account": {
            "en": "to check: this account is proven for another X account too",
            "fr": "à vérifier : ce compte est aussi avéré pour un autre compte X",
        },
        "evidence.outranked": {
            "en": "another candidate for this X account is more likely",
            "fr": "un autre candidat pour ce compte X est plus probable",
        },
        "evidence.same_domain": {
            "en": "the same personal domain {domain} on both sides",
            "fr": "le même domaine personnel {domain} des deux côtés",
        },
        "evidence.moved_from": {
            "en": "the account moved here from {previous}",
            "fr": "le compte a déménagé ici depuis {previous}",
        },
        "evidence.handle_guess": {
            "en": "{handle} exists, guessed from X @{name} (anyone could have taken it)",
            "fr": "{handle} existe, deviné à partir de X @{name} (n'importe qui a pu le prendre)",
        },
        "evidence.name_match": {
            "en": "same display name: {name}",
            "fr": "même nom affiché : {name}",
        },
        "evidence.search_hit": {
            "en": "found by searching for {query}",
            "fr": "trouvé en cherchant {query}",
        },
        "evidence.impersonation_label": {
            "en": "labelled as impersonation by a moderation service",
            "fr": "signalé comme usurpation d'identité par un service de modération",
        },
        "evidence.account_unavailable": {
            "en": "the account is not available ({reason})",
            "fr": "le compte n'est pas disponible ({reason})",
        },
        "evidence.bridge_opt_out": {
            "en": "the person opted out of the bridge",
            "fr": "la personne a refusé le pont",
        },
        "evidence.name_mismatch": {
            "en": "display name {name}, not {x_name} as on X",
            "fr": "nom affiché {name}, et non {x_name} comme sur X",
        },
    }
)

MESSAGES.update(
    {
        "help.login_mastodon": {
            "en": "Log in to your Mastodon instance: portabilite registers itself there once, you "
            "allow it on the instance's page and paste the code it shows. Or give an "
            "existing access token (--token-stdin or PORTABILITE_MASTODON_TOKEN).",
            "fr": "Se connecter à votre instance Mastodon : portabilite s'y enregistre une fois, "
            "vous l'autorisez sur la page de l'instance et collez le code affiché. Ou "
            "donnez un jeton d'accès existant (--token-stdin ou PORTABILITE_MASTODON_TOKEN).",
        },
        "help.instance": {
            "en": "Your instance, e.g. mastodon.social (PORTABILITE_MASTODON_INSTANCE).",
            "fr": "Votre instance, par ex. piaille.fr (PORTABILITE_MASTODON_INSTANCE).",
        },
        "help.token_stdin": {
            "en": "Read an existing access token from standard input.",
            "fr": "Lire un jeton d'accès existant sur l'entrée standard.",
        },
        "cli.login.prompt_instance": {
            "en": "Your Mastodon instance (e.g. mastodon.social)",
            "fr": "Votre instance Mastodon (par ex. piaille.fr)",
        },
        "cli.login.prompt_code": {"en": "Code (or token)", "fr": "Code (ou jeton)"},
        "cli.login.mastodon_open": {
            "en": "Open this page, log in if asked, allow portabilite, then paste the code it "
            "shows:\n{url}",
            "fr": "Ouvrez cette page, connectez-vous si besoin, autorisez portabilite, puis collez "
            "le code affiché :\n{url}",
        },
    }
)

MESSAGES.update(
    {
        "help.hydrate": {
            "en": "Read the bios and websites of the accounts you follow through the X API (you "
            "must be logged in to X). People write their new addresses there. X charges for "
            "this: the cost is shown and confirmed first.",
            "fr": "Lire les bios et sites web des comptes que vous suivez via l'API X (connexion à "
            "X requise). Les gens y écrivent leurs nouvelles adresses. X facture cette "
            "lecture : le coût est affiché et confirmé d'abord.",
        },
        "help.yes": {
            "en": "Do not ask for confirmation.",
            "fr": "Ne pas demander de confirmation.",
        },
        "cli.hydrate.estimate": {
            "en": "This reads {accounts} accounts through the X API: about ${usd} at X's published "
            "price (${price} per account read, {source}, checked {checked}).",
            "fr": "Cela lit {accounts} comptes via l'API X : environ {usd} $ au prix publié par X "
            "({price} $ par compte lu, {source}, vérifié le {checked}).",
        },
        "cli.hydrate.unknown_price": {
            "en": "This reads {accounts} accounts through the X API, which X charges for (the price "
            "could not be confirmed: check your X developer console).",
            "fr": "Cela lit {accounts} comptes via l'API X, que X facture (le prix n'a pas pu être "
            "confirmé : voyez votre console développeur X).",
        },
        "cli.hydrate.confirm": {"en": "Continue?", "fr": "Continuer ?"},
        "cli.hydrate.cancelled": {"en": "Nothing was read.", "fr": "Rien n'a été lu."},
        "cli.hydrate.progress": {"en": "Reading X profiles", "fr": "Lecture des profils X"},
        "cli.hydrate.done": {
            "en": "{count} profiles read. Run 'portabilite match' to use them.",
            "fr": "{count} profils lus. Lancez « portabilite match » pour les utiliser.",
        },
    }
)

MESSAGES.update(
    {
        "help.search": {
            "en": "Search Bluesky and your Mastodon instance by display name and handle for the "
            "people nothing has proven yet (on by default; cached; such matches go to review "
            "unless the profile links back to X).",
            "fr": "Chercher sur Bluesky et sur votre instance Mastodon, par nom affiché et par "
            "identifiant, les personnes que rien n'a encore avérées (par défaut ; mis en "
            "cache ; ces correspondances vont en revue sauf si le profil renvoie vers X).",
        },
    }
)

MESSAGES.update(
    {
        "help.follow": {
            "en": "Follow on Bluesky and Mastodon the accounts matched for the people you follow "
            "on X. Start with --dry-run: it shows the plan and writes nothing.",
            "fr": "Suivre sur Bluesky et Mastodon les comptes retrouvés pour les personnes que vous "
            "suivez sur X. Commencez par --dry-run : il montre le plan et n'écrit rien.",
        },
        "help.dry_run": {
            "en": "Show the plan and how long it takes; write nothing anywhere.",
            "fr": "Montrer le plan et sa durée ; ne rien écrire nulle part.",
        },
        "help.limit": {
            "en": "Follow at most N accounts per network.",
            "fr": "Suivre au plus N comptes par réseau.",
        },
        "help.only": {
            "en": "Only the confirmed matches.",
            "fr": "Seulement les correspondances confirmées.",
        },
        "help.include_probable": {
            "en": "Also follow the probable matches not reviewed yet.",
            "fr": "Suivre aussi les correspondances probables pas encore examinées.",
        },
        "help.daily_cap": {
            "en": "Follows per day and network (default: Bluesky 1000, Mastodon 360; Bluesky "
            "flags bulk following as spam).",
            "fr": "Abonnements par jour et par réseau (par défaut : Bluesky 1000, Mastodon 360 ; "
            "Bluesky signale les abonnements en masse comme spam).",
        },
        "cli.follow.matching_offline": {
            "en": "Nothing was matched yet: matching from the archive and the directories first "
            "(offline; 'portabilite match' looks further online).",
            "fr": "Rien n'a encore été retrouvé : recherche d'abord dans l'archive et les annuaires "
            "(hors ligne ; « portabilite match » cherche plus loin en ligne).",
        },
        "cli.follow.network_line": {
            "en": "{service}: {count} to follow, {skipped} skipped{reasons}.",
            "fr": "{service} : {count} à suivre, {skipped} écartés{reasons}.",
        },
        "cli.follow.item": {
            "en": "  {account}  <- X @{x_handle}  {status} ({evidence})",
            "fr": "  {account}  <- X @{x_handle}  {status} ({evidence})",
        },
        "cli.follow.estimate_bluesky": {
            "en": "  About {days} day(s): {follows} follows in {write_calls} write call(s), at most "
            "{daily_cap} a day.",
            "fr": "  Environ {days} jour(s) : {follows} abonnements en {write_calls} appel(s) "
            "d'écriture, au plus {daily_cap} par jour.",
        },
        "cli.follow.estimate_mastodon": {
            "en": "  About {days} day(s): {follows} follows, at most {daily_cap} a day (Mastodon "
            "allows 400).",
            "fr": "  Environ {days} jour(s) : {follows} abonnements, au plus {daily_cap} par jour "
            "(Mastodon en autorise 400).",
        },
        "cli.follow.csv_hint": {
            "en": "  That is many for the API: 'portabilite follow --mastodon-csv FILE' writes the "
            "file Mastodon's own importer takes.",
            "fr": "  C'est beaucoup pour l'API : « portabilite follow --mastodon-csv FICHIER » écrit "
            "le fichier que l'importateur de Mastodon accepte.",
        },
        "cli.follow.not_reconciled": {
            "en": "Not logged in to {service}: the accounts you already follow there are checked "
            "when you apply ('portabilite login {network}').",
            "fr": "Pas connecté à {service} : les comptes que vous y suivez déjà sont vérifiés à "
            "l'application (« portabilite login {network} »).",
        },
        "cli.follow.dry_run_done": {
            "en": "Dry run: nothing was written. To follow them: portabilite follow",
            "fr": "Essai à blanc : rien n'a été écrit. Pour les suivre : portabilite follow",
        },
        "cli.follow.reason.already_followed": {"en": "already followed", "fr": "déjà suivis"},
        "cli.follow.reason.rejected": {"en": "rejected", "fr": "rejetés"},
        "cli.follow.reason.awaiting_review": {"en": "to review first", "fr": "à examiner d'abord"},
        "cli.follow.reason.not_confirmed": {"en": "not confirmed", "fr": "non confirmés"},
        "cli.follow.reason.blocked_on_x": {"en": "blocked on X", "fr": "bloqués sur X"},
        "cli.follow.reason.mastodon_cap": {
            "en": "over Mastodon's 7,500",
            "fr": "au-delà des 7 500 de Mastodon",
        },
        "cli.follow.reason.duplicate": {
            "en": "another account of the same person",
            "fr": "autre compte de la même personne",
        },
        "cli.follow.reason.limit": {"en": "beyond --limit", "fr": "au-delà de --limit"},
    }
)

MESSAGES.update(
    {
        "cli.follow.failed_line": {
            "en": "{service}: {count} not followed: {reason}",
            "fr": "{service} : {count} non suivis : {reason}",
        },
        "cli.follow.retry_hint": {
            "en": "Check these accounts in 'portabilite matches', then 'portabilite follow "
            "--retry-failed' tries them again (each once, never twice).",
            "fr": "Vérifiez ces comptes dans « portabilite matches », puis « portabilite follow "
            "--retry-failed » les réessaie (chacun une fois, jamais deux).",
        },
        "help.retry_failed": {
            "en": "Try again the follows that failed before (each keeps its journal entry: never "
            "followed twice).",
            "fr": "Réessayer les abonnements qui ont échoué (chacun garde son entrée au journal : "
            "jamais suivi deux fois).",
        },
        "cli.follow.applied": {
            "en": "{service}: {done} followed, {failed} failed, {remaining} still to do.",
            "fr": "{service} : {done} suivis, {failed} en échec, {remaining} restant à faire.",
        },
        "help.unfollow": {
            "en": "Undo: remove exactly the follows portabilite made (from its journal), nothing "
            "else.",
            "fr": "Annuler : retirer exactement les abonnements faits par portabilite (d'après son "
            "journal), rien d'autre.",
        },
        "help.undo": {
            "en": "Remove the follows portabilite made.",
            "fr": "Retirer les abonnements faits par portabilite.",
        },
        "cli.unfollow.done": {
            "en": "{service}: {count} follows made by portabilite removed.",
            "fr": "{service} : {count} abonnements faits par portabilite retirés.",
        },
    }
)

MESSAGES.update(
    {
        "help.mastodon_csv": {
            "en": "Write the Mastodon follows to this CSV file for Mastodon's own importer instead "
            "of following through the API (for large lists).",
            "fr": "Écrire les abonnements Mastodon dans ce fichier CSV pour l'importateur de "
            "Mastodon au lieu de suivre via l'API (pour les longues listes).",
        },
        "cli.follow.csv_written": {
            "en": "Wrote {count} accounts to {files}. On your instance: Preferences > Import and "
            'export > Import, type "Following list", mode MERGE ("Overwrite" would '
            "unfollow everyone else), then upload the file.",
            "fr": "{count} comptes écrits dans {files}. Sur votre instance : Préférences > Import "
            "et export > Importer, type « Liste d'abonnements », mode FUSIONNER "
            "(« Écraser » désabonnerait de tous les autres), puis envoyez le fichier.",
        },
    }
)

MESSAGES.update(
    {
        "help.wait": {
            "en": "When a limit is reached (a budget, the daily cap), wait until it reopens and go "
            "on instead of stopping (leave it running, or run it from cron).",
            "fr": "Quand une limite est atteinte (un budget, le plafond quotidien), attendre sa "
            "réouverture et continuer au lieu de s'arrêter (laissez tourner, ou lancez-le "
            "depuis cron).",
        },
    }
)

MESSAGES.update(
    {
        "help.blocks": {
            "en": "Also block there the people you block on X (confirmed matches only).",
            "fr": "Bloquer aussi les personnes que vous bloquez sur X (correspondances confirmées "
            "seulement).",
        },
        "help.mutes": {
            "en": "Also mute there the people you mute on X (confirmed matches only).",
            "fr": "Masquer aussi les personnes que vous masquez sur X (correspondances confirmées "
            "seulement).",
        },
        "cli.follow.to_block": {
            "en": "  To block on {service}: {accounts}",
            "fr": "  À bloquer sur {service} : {accounts}",
        },
        "cli.follow.to_mute": {
            "en": "  To mute on {service}: {accounts}",
            "fr": "  À masquer sur {service} : {accounts}",
        },
    }
)

MESSAGES.update(
    {
        "help.lists": {
            "en": "Also recreate the X lists you own (read them first with 'portabilite hydrate "
            "--lists'), with the matched accounts you follow as members.",
            "fr": "Recréer aussi les listes X que vous possédez (lisez-les d'abord avec "
            "« portabilite hydrate --lists »), avec pour membres les comptes retrouvés que "
            "vous suivez.",
        },
        "help.hydrate_lists": {
            "en": "Read the lists you own on X and their members (billed per list and member).",
            "fr": "Lire les listes que vous possédez sur X et leurs membres (facturé par liste et "
            "par membre).",
        },
        "cli.hydrate.lists_done": {
            "en": "{lists} lists and {members} members read.",
            "fr": "{lists} listes et {members} membres lus.",
        },
        "cli.follow.lists": {
            "en": "  Lists on {service}: {lists}",
            "fr": "  Listes sur {service} : {lists}",
        },
    }
)

MESSAGES.update(
    {
        "help.budget_margin": {
            "en": "Share of Bluesky's write budget kept in reserve (0.1: use at most 90% of each "
            "hour's and day's points).",
            "fr": "Part du budget d'écritures Bluesky gardée en réserve (0,1 : au plus 90 % des "
            "points de chaque heure et de chaque jour).",
        },
    }
)

MESSAGES.update(
    {
        "post.template_missing": {
            "en": "{file}: no such template file.",
            "fr": "{file} : ce fichier de modèle n'existe pas.",
        },
        "post.template_unreadable": {
            "en": "{file}: the template cannot be read ({reason}).",
            "fr": "{file} : le modèle est illisible ({reason}).",
        },
        "post.template_placeholder": {
            "en": "The template uses {{{name}}}, which portabilite does not know (known: {known}).",
            "fr": "Le modèle utilise {{{name}}}, que portabilite ne connaît pas (connus : {known}).",
        },
        "post.nothing_to_say": {
            "en": "No new address to announce: log in to Bluesky or Mastodon first, or, to"
            " preview, name them: post compose --bluesky HANDLE --mastodon USER@INSTANCE.",
            "fr": "Aucune nouvelle adresse à annoncer : connectez-vous d'abord à Bluesky ou"
            " Mastodon ou, pour un aperçu, indiquez-les : post compose --bluesky IDENTIFIANT"
            " --mastodon UTILISATEUR@INSTANCE.",
        },
        "post.bad_bluesky": {
            "en": "{value!r} is not a Bluesky handle (such as name.bsky.social).",
            "fr": "{value!r} n'est pas un identifiant Bluesky (comme nom.bsky.social).",
        },
        "post.bad_mastodon": {
            "en": "{value!r} is not a Mastodon address (such as name@instance.social).",
            "fr": "{value!r} n'est pas une adresse Mastodon (comme nom@instance.social).",
        },
        "help.compose_bluesky": {
            "en": "The new Bluesky handle to announce (default: the account logged in to).",
            "fr": "Le nouvel identifiant Bluesky à annoncer (par défaut : le compte connecté).",
        },
        "help.compose_mastodon": {
            "en": "The new Mastodon address to announce, user@instance (default: the account"
            " logged in to).",
            "fr": "La nouvelle adresse Mastodon à annoncer, utilisateur@instance (par défaut :"
            " le compte connecté).",
        },
        "post.too_long": {
            "en": "The message is {length} long on {network}, over its limit of {limit}: shorten "
            "the template.",
            "fr": "Le message fait {length} sur {network}, au-delà de sa limite de {limit} : "
            "raccourcissez le modèle.",
        },
    }
)

MESSAGES.update(
    {
        "post.no_network": {"en": "No network to post to.", "fr": "Aucun réseau où publier."},
        "post.redirect_exists": {
            "en": "The redirect post is already queued or sent (post {id}): it goes out once. To "
            "replace it before it is sent: portabilite post cancel {id}, then queue again.",
            "fr": "Le message de redirection est déjà programmé ou publié (message {id}) : il ne "
            "part qu'une fois. Pour le remplacer avant son envoi : portabilite post cancel "
            "{id}, puis programmez-le à nouveau.",
        },
        "post.unknown_id": {
            "en": "No post has the id {id}: see 'portabilite post list'.",
            "fr": "Aucune publication n'a l'identifiant {id} : voir « portabilite post list ».",
        },
    }
)

MESSAGES.update(
    {
        "help.post": {
            "en": "The redirect post and crossposting: 'post compose' to preview, 'post queue' to "
            "schedule, 'post send' to publish what is due (run it from cron), 'post \"TEXT\"' "
            "to crosspost now.",
            "fr": "Le message de redirection et la publication croisée : « post compose » pour "
            "prévisualiser, « post queue » pour programmer, « post send » pour publier ce "
            'qui est dû (depuis cron), « post "TEXTE" » pour publier partout maintenant.',
        },
        "help.post_compose": {
            "en": "Write the redirect message for each network and show it.",
            "fr": "Écrire le message de redirection pour chaque réseau et le montrer.",
        },
        "help.post_queue": {
            "en": "Queue the redirect message for a given time.",
            "fr": "Programmer le message de redirection pour une date.",
        },
        "help.post_list": {
            "en": "List the queued and sent posts.",
            "fr": "Lister les publications programmées et envoyées.",
        },
        "help.post_cancel": {
            "en": "Cancel what is still queued of a post.",
            "fr": "Annuler ce qui reste programmé d'une publication.",
        },
        "help.post_send": {
            "en": "Publish what is due (Mastodon posts far enough ahead go to the server's own "
            "scheduler). Run it by hand, from cron or a systemd timer, or with --wait.",
            "fr": "Publier ce qui est dû (les messages Mastodon assez lointains partent dans le "
            "planificateur du serveur). À lancer à la main, depuis cron ou un minuteur "
            "systemd, ou avec --wait.",
        },
        "help.post_now": {"en": "Crosspost TEXT now.", "fr": "Publier TEXTE partout maintenant."},
        "help.at": {
            "en": "When: an ISO date and time (2026-12-01T09:00+01:00), 'now', or +30m, +2h, +1d.",
            "fr": "Quand : une date ISO (2026-12-01T09:00+01:00), « now », ou +30m, +2h, +1d.",
        },
        "help.networks": {
            "en": "Comma-separated networks among x, bluesky, mastodon.",
            "fr": "Réseaux séparés par des virgules parmi x, bluesky, mastodon.",
        },
        "help.pin": {
            "en": "Pin the post on Bluesky and Mastodon once published (X: by hand).",
            "fr": "Épingler le message sur Bluesky et Mastodon une fois publié (X : à la main).",
        },
        "help.post_lang": {
            "en": "Language of the message (default: the interface's, --lang).",
            "fr": "Langue du message (par défaut : celle de l'interface, --lang).",
        },
        "help.website": {
            "en": "A website to mention in the message.",
            "fr": "Un site web à mentionner dans le message.",
        },
        "help.template": {
            "en": "Your own template file (placeholders {{bluesky}}, {{mastodon}}, {{website}}, "
            "{{x_handle}}).",
            "fr": "Votre propre fichier de modèle (champs {{bluesky}}, {{mastodon}}, {{website}}, "
            "{{x_handle}}).",
        },
        "help.post_wait": {
            "en": "Keep running: sleep until the next post is due, until none is left.",
            "fr": "Continuer : attendre la prochaine publication due, jusqu'à la dernière.",
        },
        "post.bad_when": {
            "en": "{value}: not a date and time portabilite understands (see --help).",
            "fr": "{value} : date et heure incomprises (voir --help).",
        },
        "post.bad_network": {
            "en": "{value}: not one of x, bluesky, mastodon.",
            "fr": "{value} : ni x, ni bluesky, ni mastodon.",
        },
        "cli.post.preview": {
            "en": "{network} ({length}/{limit}):",
            "fr": "{network} ({length}/{limit}) :",
        },
        "cli.post.queued": {
            "en": "Post {id} queued for {due} on {networks}.",
            "fr": "Publication {id} programmée le {due} sur {networks}.",
        },
        "cli.post.cancelled": {
            "en": "Post {id}: {count} deliveries cancelled.",
            "fr": "Publication {id} : {count} envois annulés.",
        },
        "cli.post.none": {"en": "No posts.", "fr": "Aucune publication."},
        "cli.post.line": {
            "en": "{id}  {due}  {network}: {state} {url}",
            "fr": "{id}  {due}  {network} : {state} {url}",
        },
        "cli.post.manual": {
            "en": "X: no API login, so post it yourself: open this link, check the text, press Post "
            "(then pin it from the post's menu: X has no API to pin):\n{url}",
            "fr": "X : pas de connexion API, publiez-le vous-même : ouvrez ce lien, vérifiez le "
            "texte, appuyez sur Poster (puis épinglez-le depuis le menu du message : X n'a pas "
            "d'API pour épingler) :\n{url}",
        },
        "cli.post.x_cost": {
            "en": "Posting on X through the API costs about ${usd} per post ({kind}) at X's "
            "published price. Post there through the API?",
            "fr": "Publier sur X via l'API coûte environ {usd} $ par message ({kind}) au prix publié "
            "par X. Publier via l'API ?",
        },
        "cli.post.sent": {"en": "{network}: {state} {url}", "fr": "{network} : {state} {url}"},
        "cli.post.nothing_due": {"en": "Nothing is due.", "fr": "Rien n'est dû."},
    }
)

MESSAGES.update(
    {
        "reserve.bio_long": {
            "en": "I have moved: {places}. This account stays only to point the way.",
            "fr": "J'ai déménagé : {places}. Ce compte reste seulement pour indiquer le chemin.",
        },
        "reserve.bio_short": {"en": "Moved: {places}", "fr": "Déménagé : {places}"},
        "reserve.places_to_fill": {
            "en": "Bluesky @YOUR.HANDLE · Mastodon @YOU@YOUR.INSTANCE",
            "fr": "Bluesky @VOTRE.IDENTIFIANT · Mastodon @VOUS@VOTRE.INSTANCE",
        },
        "cli.reserve.post_waiting": {
            "en": "2. Redirect post: not queued yet, there is no new address to announce. Log"
            " in to Bluesky or Mastodon (or give --bluesky / --mastodon), then run reserve"
            " again. Replace the capitals in the bio above.",
            "fr": "2. Message de redirection : pas encore programmé, il n'y a pas encore de"
            " nouvelle adresse à annoncer. Connectez-vous à Bluesky ou Mastodon (ou indiquez"
            " --bluesky / --mastodon), puis relancez reserve. Remplacez les majuscules dans la"
            " bio ci-dessus.",
        },
        "reserve.backlink": {
            "en": "Formerly @{x_handle} on X",
            "fr": "Anciennement @{x_handle} sur X",
        },
        "reserve.ics_summary": {
            "en": "Log in to X (@{x_handle}) to keep the handle",
            "fr": "Se connecter à X (@{x_handle}) pour garder l'identifiant",
        },
        "reserve.ics_description": {
            "en": "X may remove accounts that do not log in for about 30 days, and the handle would "
            "be free for anyone. Log in to @{x_handle}, post nothing, then run: portabilite "
            "reserve --logged-in",
            "fr": "X peut supprimer les comptes sans connexion pendant environ 30 jours, et "
            "l'identifiant serait libre pour n'importe qui. Connectez-vous à @{x_handle}, ne "
            "publiez rien, puis lancez : portabilite reserve --logged-in",
        },
        "reserve.check_1": {
            "en": "Never deactivate the X account: deactivation starts a 30-day countdown after "
            "which the handle is released and can be taken.",
            "fr": "Ne désactivez jamais le compte X : la désactivation lance un compte à rebours de "
            "30 jours après lequel l'identifiant est libéré et peut être pris.",
        },
        "reserve.check_2": {
            "en": "Keep the account's e-mail address and two-factor authentication working: you "
            "need them to log in every few weeks.",
            "fr": "Gardez l'adresse e-mail du compte et la double authentification en état de "
            "marche : il faut vous connecter toutes les quelques semaines.",
        },
        "reserve.check_3": {
            "en": "Log in at least every 25 days (the calendar file reminds you), then run "
            "'portabilite reserve --logged-in'.",
            "fr": "Connectez-vous au moins tous les 25 jours (le fichier de calendrier vous le "
            "rappelle), puis lancez « portabilite reserve --logged-in ».",
        },
        "reserve.check_4": {
            "en": "Stop posting on X: only the pinned redirect post stays, with the new addresses.",
            "fr": "Arrêtez de publier sur X : seul reste le message de redirection épinglé, avec "
            "les nouvelles adresses.",
        },
        "reserve.check_5": {
            "en": "You may protect the account (locked posts): new people then cannot read the "
            "redirect post without asking, so most people leave it public.",
            "fr": "Vous pouvez protéger le compte (publications privées) : les nouveaux venus ne "
            "peuvent alors plus lire le message de redirection sans demander, donc la plupart "
            "le laissent public.",
        },
    }
)

MESSAGES.update(
    {
        "help.reserve": {
            "en": "Keep your X handle: the account stays as a signpost (never deactivated). Sets or "
            "gives the redirect bio, queues the redirect post, adds the back-link to your new "
            "accounts, writes a login reminder calendar, and lists what not to do.",
            "fr": "Garder votre identifiant X : le compte reste comme panneau indicateur (jamais "
            "désactivé). Met ou donne la bio de redirection, programme le message de "
            "redirection, ajoute le lien de retour sur vos nouveaux comptes, écrit un "
            "calendrier de rappels de connexion et liste ce qu'il ne faut pas faire.",
        },
        "help.logged_in": {
            "en": "Record that you just logged in to X.",
            "fr": "Noter que vous venez de vous connecter à X.",
        },
        "help.calendar": {
            "en": "Where to write the reminder calendar (.ics; default: your user data folder).",
            "fr": "Où écrire le calendrier de rappels (.ics ; par défaut : votre dossier de"
            " données utilisateur).",
        },
        "help.backlink": {
            "en": "Add 'formerly @handle on X' to your Bluesky and Mastodon profiles.",
            "fr": "Ajouter « anciennement @identifiant sur X » à vos profils Bluesky et Mastodon.",
        },
        "cli.reserve.bio_set": {"en": "1. X bio set: {bio}", "fr": "1. Bio X modifiée : {bio}"},
        "cli.reserve.bio_manual": {
            "en": "1. Paste this bio on X (https://x.com/settings/profile), {length}/160 "
            "characters:\n   {bio}",
            "fr": "1. Collez cette bio sur X (https://x.com/settings/profile), {length}/160 "
            "caractères :\n   {bio}",
        },
        "cli.reserve.post_queued": {
            "en": "2. Redirect post queued (id {id}), to be pinned: publish it with 'portabilite "
            "post send'.",
            "fr": "2. Message de redirection programmé (id {id}), à épingler : publiez-le avec "
            "« portabilite post send ».",
        },
        "cli.reserve.post_exists": {
            "en": "2. The redirect post is already queued or sent.",
            "fr": "2. Le message de redirection est déjà programmé ou envoyé.",
        },
        "cli.reserve.backlink_done": {
            "en": "3. Back-link on {service}: {state}.",
            "fr": "3. Lien de retour sur {service} : {state}.",
        },
        "cli.reserve.backlink_skipped": {
            "en": "3. Back-links not added (use --backlink to add 'formerly @{x_handle} on X').",
            "fr": "3. Liens de retour non ajoutés (--backlink pour ajouter « anciennement "
            "@{x_handle} sur X »).",
        },
        "cli.reserve.backlink_confirm": {
            "en": "Add 'formerly @{x_handle} on X' to your new profiles (it helps people find you)?",
            "fr": "Ajouter « anciennement @{x_handle} sur X » à vos nouveaux profils (cela aide à "
            "vous retrouver) ?",
        },
        "cli.reserve.added": {"en": "added", "fr": "ajouté"},
        "cli.reserve.present": {
            "en": "already there (or no room)",
            "fr": "déjà là (ou pas de place)",
        },
        "cli.reserve.calendar": {
            "en": "4. Reminder calendar written to {path}: import it in your calendar app (a "
            "reminder every 25 days to log in to X).",
            "fr": "4. Calendrier de rappels écrit dans {path} : importez-le dans votre agenda (un "
            "rappel tous les 25 jours pour vous connecter à X).",
        },
        "cli.reserve.checklist": {
            "en": "5. What not to do:",
            "fr": "5. Ce qu'il ne faut pas faire :",
        },
        "cli.reserve.logged_in": {
            "en": "Login recorded. Next reminder: {next}.",
            "fr": "Connexion notée. Prochain rappel : {next}.",
        },
        "cli.status.login_due": {
            "en": "Warning: no recorded X login for {days} days: log in to @{x_handle} soon, then "
            "run 'portabilite reserve --logged-in' (X may remove inactive accounts).",
            "fr": "Attention : aucune connexion à X notée depuis {days} jours : connectez-vous "
            "bientôt à @{x_handle}, puis lancez « portabilite reserve --logged-in » (X peut "
            "supprimer les comptes inactifs).",
        },
    }
)

MESSAGES.update(
    {
        "cli.post.open": {
            "en": "Open it in your browser now?",
            "fr": "L'ouvrir dans votre navigateur maintenant ?",
        },
    }
)
