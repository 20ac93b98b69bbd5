#!/bin/bash
# Entry point of the kafka service in docker-compose.yml (apache/kafka:3.9.1 image). The image's own
# entrypoint cannot seed SCRAM users, so the storage is formatted here with --add-scram, once.
# One SCRAM user per principal in libs/contracts topology plus admin (test/compose checks the list).
# Development secrets only: production uses real secrets (Strimzi KafkaUser / Kubernetes Secrets).
set -euo pipefail
CONFIG=/opt/samverkan/server.properties
DATA_DIR=/tmp/kraft-combined-logs
# One line per user; `npm run new:consumer` adds a consumer's user above the marker.
SCRAM_USERS=(
  'SCRAM-SHA-256=[name=admin,password=samverkan-dev-admin]'
  'SCRAM-SHA-256=[name=education,password=samverkan-dev-kafka-education]'
  'SCRAM-SHA-256=[name=social-services,password=samverkan-dev-kafka-social-services]'
  'SCRAM-SHA-256=[name=leisure,password=samverkan-dev-kafka-leisure]'
  'SCRAM-SHA-256=[name=router,password=samverkan-dev-kafka-router]'
  'SCRAM-SHA-256=[name=reporting,password=samverkan-dev-kafka-reporting]'
  'SCRAM-SHA-256=[name=operations,password=samverkan-dev-kafka-operations]'
  # new-consumer: users above this line
)
if [ ! -f "$DATA_DIR/meta.properties" ]; then
  ADD_SCRAM=()
  for user in "${SCRAM_USERS[@]}"; do ADD_SCRAM+=(--add-scram "$user"); done
  /opt/kafka/bin/kafka-storage.sh format \
    --cluster-id "${CLUSTER_ID:-$(/opt/kafka/bin/kafka-storage.sh random-uuid)}" \
    --config "$CONFIG" \
    "${ADD_SCRAM[@]}"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
