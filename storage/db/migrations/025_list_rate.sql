-- 025: the lists count how many messages a person sent lately, to hold back a runaway sender (an
-- auto-reply loop, a stolen account) before it floods every member.
CREATE INDEX list_message_author ON list_message(author_id, received_at);
CREATE INDEX list_message_sender ON list_message(sender, received_at);
