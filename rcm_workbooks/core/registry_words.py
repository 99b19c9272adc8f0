"""Words of the shared registry and mailbox, in English and Spanish: where the registry is and
what state it is in, `rcm registry copy | check | get`, the wait for another writer, and
`rcm fetch`. Part of the one catalog: core/texts.py re-exports everything here.
"""
from __future__ import annotations

# The registry's place and state (rcm registry copy/check/get, the wait for another writer) and
# `rcm fetch`. An entry that is a pair is (one, many), chosen by the parameter `n`.
REGISTRY = {
    "en": {
        "registry-missing": "there is no registry at {where}; run `rcm consolidate` first (or choose another with --db).",
        "registry-unusable": "{where} is not a usable registry database ({detail}); restore it from a backup or choose another with --db.",
        "registry-newer": "the registry {where} has schema version {version}, newer than rcm {tool} understands ({known}); upgrade rcm.",
        "registry-connect": "cannot connect to the registry {where}: {detail}",
        "registry-no-driver": "the registry {where} is a PostgreSQL database, and PostgreSQL support is not installed: {command}",
        "registry-busy": "the registry {where} stayed in use by another rcm for more than {seconds} s; run again once it has finished.",
        "registry-waiting": "The registry {where} is in use: another rcm is writing to it. Waiting for it (up to {seconds} s)…",
        "settings-broken": "{file} cannot be read as YAML (line {line}); fix it or remove it.",
        "settings-registry": "{file}: `registry:` must be a file path or a postgresql:// URL.",
        "settings-password": "{file}: the registry URL contains a password; remove it from the file and give it in PGPASSWORD or ~/.pgpass.",
        "copy-same": "the source and the target are the same registry ({where}); give another target.",
        "copy-not-empty": "the target registry {where} is not empty ({counts}); copy only into a new, empty registry.",
        "copy-mismatch": "the copy into {where} does not have the rows of the source ({detail}); nothing was copied.",
        "copy-done": "Copied the registry {source} into {target} (schema version {version}):",
        "copy-verified": "Every table has as many rows in the copy as in the source.",
        "check-head": "Registry {where} ({kind}): schema version {version} (this rcm: {known}).",
        "check-behind": "It will be brought up to version {known} the next time a command writes to it.",
        "check-ahead": "It is newer than this rcm understands: upgrade rcm.",
        "check-kept": "Files kept: {kept} of the {accepted} accepted files ({size}).",
        "check-table": "  {table:<16} {n:>9}",
        "get-bad-hash": "{value} is not a SHA-256 (64 hexadecimal characters, or at least its first 8).",
        "get-not-found": "the registry {where} keeps no file whose SHA-256 begins with {value}.",
        "get-ambiguous": "{n} files kept in the registry have a SHA-256 beginning with {value}; give more of it.",
        "get-wrote": "Wrote {path} ({size}), SHA-256 {sha256}, first received as {name}.",
        "fetch-no-password": "the IMAP password for {user} is missing: set {env}.",
        "fetch-password": "IMAP password for {user}",
        "fetch-no-user": "the IMAP user is missing: give --imap-user or set {env}.",
        "fetch-connect": "cannot connect to the IMAP server {host}:{port}: {detail}",
        "fetch-refused": "cannot connect to the IMAP server {host}:{port}: the connection was refused (no IMAP server listens on that port; check --imap-host and --imap-port).",
        "fetch-no-host": "cannot connect to the IMAP server {host}:{port}: the host {host} was not found (check --imap-host and the network).",
        "fetch-timeout": "cannot connect to the IMAP server {host}:{port}: it did not answer in time (check --imap-host, --imap-port and the network).",
        "fetch-tls": "the IMAP server {host}:{port} did not prove who it is ({detail}); if it uses a private certificate authority, give its certificate with --imap-ca.",
        "fetch-login": "the IMAP server {host} refused the login of {user}: {detail}",
        "fetch-folder": "the mailbox has no folder {folder} ({detail}).",
        "fetch-failed": "the IMAP server {host} stopped answering: {detail}",
        "fetch-saved": "  saved {name}: {sender}, {subject}",
        "fetch-summary": ("{folders}: {n} message since {since}; {saved} saved into {inbox}, {known} already there, {other} without a workbook.",
                          "{folders}: {n} messages since {since}; {saved} saved into {inbox}, {known} already there, {other} without a workbook."),
        "fetch-since-all": "the beginning",
        "fetch-next": "Next: rcm consolidate",
    },
    "es": {
        "registry-missing": "no hay registro en {where}; ejecute primero `rcm consolidate` (o elija otro con --db).",
        "registry-unusable": "{where} no es una base de datos de registro utilizable ({detail}); restáurela de una copia de seguridad o elija otra con --db.",
        "registry-newer": "el registro {where} tiene la versión de esquema {version}, más reciente de la que entiende rcm {tool} ({known}); actualice rcm.",
        "registry-connect": "no se puede conectar con el registro {where}: {detail}",
        "registry-no-driver": "el registro {where} es una base de datos PostgreSQL y el soporte de PostgreSQL no está instalado: {command}",
        "registry-busy": "el registro {where} siguió ocupado por otro rcm durante más de {seconds} s; vuelva a ejecutar cuando haya terminado.",
        "registry-waiting": "El registro {where} está ocupado: otro rcm está escribiendo en él. Se espera a que termine (hasta {seconds} s)…",
        "settings-broken": "{file} no se puede leer como YAML (línea {line}); corríjalo o elimínelo.",
        "settings-registry": "{file}: `registry:` debe ser la ruta de un archivo o una URL postgresql://.",
        "settings-password": "{file}: la URL del registro contiene una contraseña; quítela del archivo y désela en PGPASSWORD o en ~/.pgpass.",
        "copy-same": "el origen y el destino son el mismo registro ({where}); indique otro destino.",
        "copy-not-empty": "el registro de destino {where} no está vacío ({counts}); copie solo en un registro nuevo y vacío.",
        "copy-mismatch": "la copia en {where} no tiene las filas del origen ({detail}); no se copió nada.",
        "copy-done": "Se copió el registro {source} en {target} (versión de esquema {version}):",
        "copy-verified": "Cada tabla tiene en la copia tantas filas como en el origen.",
        "check-head": "Registro {where} ({kind}): versión de esquema {version} (esta versión de rcm: {known}).",
        "check-behind": "Se actualizará a la versión {known} la próxima vez que un comando escriba en él.",
        "check-ahead": "Es más reciente de lo que entiende esta versión de rcm: actualice rcm.",
        "check-kept": "Archivos guardados: {kept} de los {accepted} archivos aceptados ({size}).",
        "check-table": "  {table:<16} {n:>9}",
        "get-bad-hash": "{value} no es un SHA-256 (64 caracteres hexadecimales, o al menos los 8 primeros).",
        "get-not-found": "el registro {where} no guarda ningún archivo cuyo SHA-256 empiece por {value}.",
        "get-ambiguous": "{n} archivos guardados en el registro tienen un SHA-256 que empieza por {value}; indique más caracteres.",
        "get-wrote": "Se escribió {path} ({size}), SHA-256 {sha256}, recibido por primera vez como {name}.",
        "fetch-no-password": "falta la contraseña IMAP de {user}: defina {env}.",
        "fetch-password": "Contraseña IMAP de {user}",
        "fetch-no-user": "falta el usuario IMAP: indique --imap-user o defina {env}.",
        "fetch-connect": "no se puede conectar con el servidor IMAP {host}:{port}: {detail}",
        "fetch-refused": "no se puede conectar con el servidor IMAP {host}:{port}: se rechazó la conexión (ningún servidor IMAP escucha en ese puerto; revise --imap-host y --imap-port).",
        "fetch-no-host": "no se puede conectar con el servidor IMAP {host}:{port}: no se encontró el servidor {host} (revise --imap-host y la red).",
        "fetch-timeout": "no se puede conectar con el servidor IMAP {host}:{port}: no respondió a tiempo (revise --imap-host, --imap-port y la red).",
        "fetch-tls": "el servidor IMAP {host}:{port} no demostró quién es ({detail}); si usa una autoridad de certificación propia, indique su certificado con --imap-ca.",
        "fetch-login": "el servidor IMAP {host} rechazó el inicio de sesión de {user}: {detail}",
        "fetch-folder": "el buzón no tiene la carpeta {folder} ({detail}).",
        "fetch-failed": "el servidor IMAP {host} dejó de responder: {detail}",
        "fetch-saved": "  guardado {name}: {sender}, {subject}",
        "fetch-summary": ("{folders}: {n} mensaje desde {since}; guardados en {inbox}: {saved}; ya estaban: {known}; sin libro de trabajo: {other}.",
                          "{folders}: {n} mensajes desde {since}; guardados en {inbox}: {saved}; ya estaban: {known}; sin libro de trabajo: {other}."),
        "fetch-since-all": "el principio",
        "fetch-next": "Siguiente paso: rcm consolidate",
    },
}


def registry_words(key: str, lang: str = "en", **params) -> str:
    """One entry of REGISTRY in `lang` (English if the language is unknown), filled in."""
    entry = REGISTRY.get(lang, REGISTRY["en"])[key]
    if isinstance(entry, tuple):
        entry = entry[0] if params.get("n") == 1 else entry[1]
    return entry.format(**params)


def size_words(size: int, lang: str = "en") -> str:
    """A size in bytes as a person reads it: 812 bytes, 45.3 KB, 2.1 MB."""
    if size < 1024:
        return f"{size} {'bytes' if lang == 'en' else 'bytes'}"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            number = f"{size:.1f}"
            return f"{number if lang == 'en' else number.replace('.', ',')} {unit}"
    return ""
