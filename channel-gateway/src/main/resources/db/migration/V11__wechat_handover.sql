-- A message not answered within WeChat's five seconds is handed over: WeChat is told "success" and
-- the reply follows through the customer-service message API once it is ready.
ALTER TABLE wechat_inbound ADD COLUMN handed_over boolean NOT NULL DEFAULT false;
