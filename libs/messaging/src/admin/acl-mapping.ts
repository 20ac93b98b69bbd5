import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';
import type { AclOperation, AclPatternType, AclResourceType, PrincipalSpec } from '@samverkan/contracts';

export function toKafkaResourceType(type: AclResourceType): AclResourceTypes {
  switch (type) {
    case 'topic':
      return AclResourceTypes.TOPIC;
    case 'group':
      return AclResourceTypes.GROUP;
    case 'transactional-id':
      return AclResourceTypes.TRANSACTIONAL_ID;
    case 'cluster':
      return AclResourceTypes.CLUSTER;
  }
}

export function toKafkaPatternType(type: AclPatternType): ResourcePatternTypes {
  switch (type) {
    case 'literal':
      return ResourcePatternTypes.LITERAL;
    case 'prefixed':
      return ResourcePatternTypes.PREFIXED;
  }
}

export function toKafkaOperation(operation: AclOperation): AclOperationTypes {
  switch (operation) {
    case 'read':
      return AclOperationTypes.READ;
    case 'write':
      return AclOperationTypes.WRITE;
    case 'describe':
      return AclOperationTypes.DESCRIBE;
    case 'create':
      return AclOperationTypes.CREATE;
    case 'idempotent-write':
      return AclOperationTypes.IDEMPOTENT_WRITE;
    case 'describe-configs':
      return AclOperationTypes.DESCRIBE_CONFIGS;
  }
}

/** Kafka principal of a SCRAM user (the default principal builder uses the user name). */
export const kafkaPrincipal = (username: string): string => `User:${username}`;

/** Every ALLOW entry a principal's ACL specs expand to: one per (resource, operation). */
export function aclEntriesFor(principal: PrincipalSpec): AclEntry[] {
  return principal.acls.flatMap((acl) =>
    acl.operations.map((operation) => ({
      principal: kafkaPrincipal(principal.username),
      host: '*',
      operation: toKafkaOperation(operation),
      permissionType: AclPermissionTypes.ALLOW,
      resourceType: toKafkaResourceType(acl.resourceType),
      resourceName: acl.resourceName,
      resourcePatternType: toKafkaPatternType(acl.patternType),
    })),
  );
}
