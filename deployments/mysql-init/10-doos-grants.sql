-- The doos user needs every DOOS database and the replication privileges of the binlog CDC reader.
GRANT ALL PRIVILEGES ON *.* TO 'doos'@'%';
FLUSH PRIVILEGES;
