-- Prosody for the peer comparison: plain c2s on 127.0.0.1:15222, offline
-- message storage (mod_offline, flat files of the "internal" storage driver,
-- which does not fsync). Deliberately WITHOUT mod_limits: Debian's stock config
-- loads it and caps every client at 10 kB/s. @DIR@ is replaced by the start script.
data_path = "@DIR@/data"
admin_socket = "@DIR@/prosody.sock"
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { 15222 }
c2s_direct_tls_ports = { }
s2s_ports = { }
modules_enabled = {
  "disco";
  "roster";
  "saslauth";
  "ping";
  "admin_shell";
  -- stream management (XEP-0198): the sender's "accepted" is the server's <a/>
  "smacks";
}
-- offline, c2s, presence, message and iq are loaded automatically.
modules_disabled = { "s2s"; "limits"; "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
storage = "internal"
c2s_stanza_size_limit = 1024 * 1024
log = { warn = "@DIR@/prosody.log" }
statistics = nil
VirtualHost "bench.local"
