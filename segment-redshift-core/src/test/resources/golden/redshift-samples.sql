CREATE SCHEMA IF NOT EXISTS "segment";

CREATE TABLE IF NOT EXISTS "segment"."_columns" (
  "table_name" VARCHAR(127) NOT NULL,
  "column_name" VARCHAR(127),
  "path_hash" VARCHAR(64) NOT NULL,
  "source_path" VARCHAR(65535),
  "created_at" TIMESTAMP
);

CREATE TABLE IF NOT EXISTS "segment"."_discards" (
  "id" VARCHAR(64) NOT NULL,
  "table_name" VARCHAR(127),
  "column_name" VARCHAR(127),
  "source_path" VARCHAR(65535),
  "row_id" VARCHAR(512),
  "received_at" TIMESTAMP,
  "reason" VARCHAR(64),
  "column_type" VARCHAR(64),
  "raw_value" VARCHAR(65535),
  "raw_value_truncated" BOOLEAN,
  "uuid_ts" TIMESTAMP
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."_loads" (
  "batch_id" VARCHAR(64) NOT NULL,
  "loader" VARCHAR(64),
  "event_count" BIGINT,
  "discard_count" BIGINT,
  "table_counts" VARCHAR(65535),
  "copy_query_ids" VARCHAR(65535),
  "started_at" TIMESTAMP,
  "finished_at" TIMESTAMP
);

CREATE TABLE IF NOT EXISTS "segment"."aliases" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "previous_id" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."groups" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "group_id" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "employees" BIGINT,
  "industry" VARCHAR(512),
  "name" VARCHAR(512),
  "plan" VARCHAR(512),
  "total_billed" BIGINT
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."identifies" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_library_name" VARCHAR(512),
  "context_library_version" VARCHAR(512),
  "email" VARCHAR(512),
  "friend_count" BIGINT,
  "name" VARCHAR(512),
  "plan" VARCHAR(512),
  "subscription_plan" VARCHAR(512)
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."order_completed" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "event" VARCHAR(512),
  "event_text" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_ip" VARCHAR(512),
  "context_library_name" VARCHAR(512),
  "context_library_version" VARCHAR(512),
  "context_page_path" VARCHAR(512),
  "context_page_title" VARCHAR(512),
  "context_page_url" VARCHAR(512),
  "context_user_agent" VARCHAR(512),
  "currency" VARCHAR(512),
  "order_id" VARCHAR(512),
  "products" VARCHAR(512),
  "revenue" BIGINT,
  "shipping_cost" BIGINT,
  "shipping_method" VARCHAR(512),
  "total" DOUBLE PRECISION
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."pages" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "name" VARCHAR(512),
  "category" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_ip" VARCHAR(512),
  "context_library_name" VARCHAR(512),
  "context_library_version" VARCHAR(512),
  "path" VARCHAR(512),
  "referrer" VARCHAR(512),
  "title" VARCHAR(512),
  "url" VARCHAR(512)
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."screens" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "name" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_app_build" VARCHAR(512),
  "context_app_name" VARCHAR(512),
  "context_app_version" VARCHAR(512),
  "context_device_manufacturer" VARCHAR(512),
  "context_device_model" VARCHAR(512),
  "context_device_type" VARCHAR(512),
  "context_os_name" VARCHAR(512),
  "context_os_version" VARCHAR(512),
  "variation" VARCHAR(512)
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."signed_up" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "event" VARCHAR(512),
  "event_text" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_library_name" VARCHAR(512),
  "context_library_version" VARCHAR(512),
  "referrer" VARCHAR(512),
  "trial_days" BIGINT
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."tracks" (
  "id" VARCHAR(512) NOT NULL,
  "anonymous_id" VARCHAR(512),
  "user_id" VARCHAR(512),
  "event" VARCHAR(512),
  "event_text" VARCHAR(512),
  "timestamp" TIMESTAMP,
  "original_timestamp" TIMESTAMP,
  "sent_at" TIMESTAMP,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "context_ip" VARCHAR(512),
  "context_library_name" VARCHAR(512),
  "context_library_version" VARCHAR(512),
  "context_page_path" VARCHAR(512),
  "context_page_title" VARCHAR(512),
  "context_page_url" VARCHAR(512),
  "context_user_agent" VARCHAR(512)
)
DISTKEY("id")
SORTKEY("received_at");

CREATE TABLE IF NOT EXISTS "segment"."accounts" (
  "id" VARCHAR(512) NOT NULL,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "employees" BIGINT,
  "industry" VARCHAR(512),
  "name" VARCHAR(512),
  "plan" VARCHAR(512),
  "total_billed" BIGINT
)
DISTKEY("id")
SORTKEY("id");

CREATE TABLE IF NOT EXISTS "segment"."users" (
  "id" VARCHAR(512) NOT NULL,
  "received_at" TIMESTAMP,
  "uuid_ts" TIMESTAMP,
  "email" VARCHAR(512),
  "friend_count" BIGINT,
  "name" VARCHAR(512),
  "plan" VARCHAR(512),
  "subscription_plan" VARCHAR(512)
)
DISTKEY("id")
SORTKEY("id");
