ALTER TABLE "segment"."identifies" ADD COLUMN "last_name" VARCHAR(512);

ALTER TABLE "segment"."order_completed" ADD COLUMN "coupon" VARCHAR(2048);

ALTER TABLE "segment"."order_completed" ADD COLUMN "gift_wrap" BOOLEAN;

ALTER TABLE "segment"."order_completed" ALTER COLUMN "currency" TYPE VARCHAR(1024);

ALTER TABLE "segment"."users" ADD COLUMN "last_name" VARCHAR(512);
