-- How the connection's database was opened: 'read_only' when only reading was possible
-- (Storage/Database.cs opens such a file read-only), so a command that writes stops first.
-- params: none
-- columns: access_mode VARCHAR
select current_setting('access_mode') as access_mode
