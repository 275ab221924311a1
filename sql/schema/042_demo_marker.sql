-- A database of generated demo lists (Dashboards/DemoData.cs) says so itself: one row, written
-- before its lists, so that every later command and server that opens the file marks its pages,
-- charts and reviews as synthetic, whatever name or --db it is opened by.
create table demo_data (
    built_at timestamp not null
);
