-- Deleting an entity's lookup keys (`EntityRepository.delete`, when the sharded merge joins two entities)
-- looked through every key of the store; by entity it is one index range.
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
