#!/bin/sh
# Make sure the tools are here before a build or run: python3 first (the doctor is
# written in it), then `doctor.py --install` installs what else is missing when we
# are root or have password-less sudo, and otherwise prints the exact command.
if ! command -v python3 >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3 || exit 1
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n apt-get update && sudo -n apt-get install -y python3 || exit 1
	else
		echo "setup: python3 is missing; install it with: sudo apt-get install -y python3" >&2
		exit 1
	fi
fi
exec python3 "$(dirname "$0")/doctor.py" --install --quiet "$@"
