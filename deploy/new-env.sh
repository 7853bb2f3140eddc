#!/usr/bin/env bash
# Writes .env beside docker-compose.yml with fresh random secrets, once. It never overwrites an
# existing .env: those secrets protect a database and wallets that already exist.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -e .env ]; then
  echo ".env already exists; not touching it." >&2
  exit 1
fi
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; }
umask 077
cat > .env <<ENV
# docker compose reads this file. Keep it out of version control (it is in .gitignore).
POSTGRES_USER=marketplace
POSTGRES_PASSWORD=$(random 24)
POSTGRES_DB=marketplace
# The embedded emulator's admin API key (sandbox): send it as X-Emulator-Admin-Key.
QIWI_EMULATOR_ADMIN_KEY=$(random 32)
# Storefront origin allowed to call the API from a browser (empty: none).
STOREFRONT_ORIGIN=
# Live variant only (docker-compose.live.yml):
# QIWI_BASE_URL=https://edge.qiwi.com/
# QIWI_PAYMENT_FORM_BASE_URL=https://qiwi.com/
SECRETS_KEY=$(head -c 32 /dev/urandom | base64)
ENV
echo "Wrote .env (owner-only). The emulator admin key is QIWI_EMULATOR_ADMIN_KEY in it."
