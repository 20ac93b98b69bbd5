#!/bin/bash
# Entry point of the kafka service in docker-compose.yml (apache/kafka:3.9.1 image). The image's own
# entrypoint cannot seed SCRAM users, so the storage is formatted here with --add-scram, once.
# One SCRAM user per principal in libs/contracts topology plus admin (test/compose checks the list).
# Development secrets only: production uses real secrets (Strimzi KafkaUser / Kubernetes Secrets).
set -euo pipefail
CONFIG=/opt/samverkan/server.properties
DATA_DIR=/tmp/kraft-combined-logs
if [ ! -f "$DATA_DIR/meta.properties" ]; then
  /opt/kafka/bin/kafka-storage.sh format \
    --cluster-id "${CLUSTER_ID:-$(/opt/kafka/bin/kafka-storage.sh random-uuid)}" \
    --config "$CONFIG" \
    --add-scram 'SCRAM-SHA-256=[name=admin,password=samverkan-dev-admin]' \
    --add-scram 'SCRAM-SHA-256=[name=education,password=samverkan-dev-kafka-education]' \
    --add-scram 'SCRAM-SHA-256=[name=social-services,password=samverkan-dev-kafka-social-services]' \
    --add-scram 'SCRAM-SHA-256=[name=leisure,password=samverkan-dev-kafka-leisure]' \
    --add-scram 'SCRAM-SHA-256=[name=router,password=samverkan-dev-kafka-router]' \
    --add-scram 'SCRAM-SHA-256=[name=reporting,password=samverkan-dev-kafka-reporting]' \
    --add-scram 'SCRAM-SHA-256=[name=operations,password=samverkan-dev-kafka-operations]'
fi
exec /opt/kafka/bin/kafka-server-start.sh "$CONFIG"
