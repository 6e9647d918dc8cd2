# Packaging (CPack .deb, systemd unit) arrives with the packaging work.
