-- Nodes cache vendors, resources and services (store/catalog-cache.ts). Any change to one, by any path, tells every
-- node which id to drop: the payload is the changed row's id (the service's for its resource links).
CREATE FUNCTION notify_catalog_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'service_resources' THEN
    PERFORM pg_notify('slotcast_catalog', coalesce(NEW.service_id, OLD.service_id)::text);
  ELSE
    PERFORM pg_notify('slotcast_catalog', coalesce(NEW.id, OLD.id)::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER vendors_changed AFTER UPDATE OR DELETE ON vendors
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER resources_changed AFTER UPDATE OR DELETE ON resources
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER services_changed AFTER UPDATE OR DELETE ON services
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER service_resources_changed AFTER INSERT OR UPDATE OR DELETE ON service_resources
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_change();
