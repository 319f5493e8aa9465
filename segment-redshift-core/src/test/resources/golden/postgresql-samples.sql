CREATE SCHEMA IF NOT EXISTS "segment";

CREATE TABLE IF NOT EXISTS "segment"."_columns" (
  "table_name" text NOT NULL,
  "column_name" text,
  "path_hash" text NOT NULL,
  "source_path" text,
  "created_at" timestamptz,
  PRIMARY KEY ("table_name", "path_hash"),
  UNIQUE ("table_name", "column_name")
);

CREATE TABLE IF NOT EXISTS "segment"."_discards" (
  "id" text NOT NULL,
  "table_name" text,
  "column_name" text,
  "source_path" text,
  "row_id" text,
  "received_at" timestamptz,
  "reason" text,
  "column_type" text,
  "raw_value" text,
  "raw_value_truncated" boolean,
  "uuid_ts" timestamptz,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."_loads" (
  "batch_id" text NOT NULL,
  "loader" text,
  "event_count" bigint,
  "discard_count" bigint,
  "table_counts" text,
  "copy_query_ids" text,
  "started_at" timestamptz,
  "finished_at" timestamptz,
  PRIMARY KEY ("batch_id")
);

CREATE TABLE IF NOT EXISTS "segment"."aliases" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "previous_id" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."groups" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "group_id" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "employees" bigint,
  "industry" text,
  "name" text,
  "plan" text,
  "total_billed" bigint,
  PRIMARY KEY ("id")
);

CREATE INDEX IF NOT EXISTS "groups_group_id_idx" ON "segment"."groups" ("group_id");

CREATE TABLE IF NOT EXISTS "segment"."identifies" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_library_name" text,
  "context_library_version" text,
  "email" text,
  "friend_count" bigint,
  "name" text,
  "plan" text,
  "subscription_plan" text,
  PRIMARY KEY ("id")
);

CREATE INDEX IF NOT EXISTS "identifies_user_id_idx" ON "segment"."identifies" ("user_id");

CREATE TABLE IF NOT EXISTS "segment"."order_completed" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "event" text,
  "event_text" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_ip" text,
  "context_library_name" text,
  "context_library_version" text,
  "context_page_path" text,
  "context_page_title" text,
  "context_page_url" text,
  "context_user_agent" text,
  "currency" text,
  "order_id" text,
  "products" text,
  "revenue" bigint,
  "shipping_cost" bigint,
  "shipping_method" text,
  "total" double precision,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."pages" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "name" text,
  "category" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_ip" text,
  "context_library_name" text,
  "context_library_version" text,
  "path" text,
  "referrer" text,
  "title" text,
  "url" text,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."screens" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "name" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_app_build" text,
  "context_app_name" text,
  "context_app_version" text,
  "context_device_manufacturer" text,
  "context_device_model" text,
  "context_device_type" text,
  "context_os_name" text,
  "context_os_version" text,
  "variation" text,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."signed_up" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "event" text,
  "event_text" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_library_name" text,
  "context_library_version" text,
  "referrer" text,
  "trial_days" bigint,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."tracks" (
  "id" text NOT NULL,
  "anonymous_id" text,
  "user_id" text,
  "event" text,
  "event_text" text,
  "timestamp" timestamptz,
  "original_timestamp" timestamptz,
  "sent_at" timestamptz,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "context_ip" text,
  "context_library_name" text,
  "context_library_version" text,
  "context_page_path" text,
  "context_page_title" text,
  "context_page_url" text,
  "context_user_agent" text,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."accounts" (
  "id" text NOT NULL,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "employees" bigint,
  "industry" text,
  "name" text,
  "plan" text,
  "total_billed" bigint,
  PRIMARY KEY ("id")
);

CREATE TABLE IF NOT EXISTS "segment"."users" (
  "id" text NOT NULL,
  "received_at" timestamptz,
  "uuid_ts" timestamptz,
  "email" text,
  "friend_count" bigint,
  "name" text,
  "plan" text,
  "subscription_plan" text,
  PRIMARY KEY ("id")
);
