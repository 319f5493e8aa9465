ALTER TABLE "segment"."identifies"
  ADD COLUMN IF NOT EXISTS "last_name" text;

ALTER TABLE "segment"."order_completed"
  ADD COLUMN IF NOT EXISTS "coupon" text,
  ADD COLUMN IF NOT EXISTS "gift_wrap" boolean;

ALTER TABLE "segment"."users"
  ADD COLUMN IF NOT EXISTS "last_name" text;
