#!/usr/bin/env bash
# collect-stream: the MQTT integration tests need a Mosquitto broker on 127.0.0.1:1883 (MQTT_URI)
# and the mosquitto binary (MqttPersistentSessionIT runs its own brokers with their own limits).
# Idempotent: installs Mosquitto when missing, starts it with the machine's config only when nothing
# listens on the port yet, then fails loudly unless the broker answers.
set -euo pipefail

listening() {
  (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null
}

# MqttPersistentSessionIT starts brokers of its own with this binary, so install it even when
# something else already listens on the port.
if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "collect-stream setup: mosquitto is not installed; installing it" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto
fi

# MqttTlsIT makes its broker's certificate with openssl.
if ! command -v openssl >/dev/null 2>&1; then
  echo "collect-stream setup: openssl is not installed; installing it" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl
fi

if listening; then
  echo "collect-stream setup: an MQTT broker already listens on 127.0.0.1:1883"
  exit 0
fi
mkdir -p /run/mosquitto /var/lib/mosquitto /var/log/mosquitto
chown mosquitto:mosquitto /run/mosquitto /var/lib/mosquitto /var/log/mosquitto 2>/dev/null || true
mosquitto -d -c /etc/mosquitto/mosquitto.conf

for _ in $(seq 1 30); do
  if listening; then
    echo "collect-stream setup: Mosquitto started on 127.0.0.1:1883"
    exit 0
  fi
  sleep 1
done
echo "collect-stream setup: Mosquitto did not listen on 127.0.0.1:1883 within 30 s" >&2
tail -n 30 /var/log/mosquitto/mosquitto.log >&2 || true
exit 1
