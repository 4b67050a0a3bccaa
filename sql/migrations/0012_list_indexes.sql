-- Lists page by keyset (`--after ID`) and find by the beginning of a name (`--name 陈`): institutions in
-- (region, name, id) order, and by name across regions. Physicians and nurses have (name, id) already (0007).
CREATE INDEX institution_region_name_id ON institution (region, name, id);
CREATE INDEX institution_name_id ON institution (name, id);
