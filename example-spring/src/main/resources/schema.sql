create table if not exists orders (id bigint auto_increment primary key, sku varchar(64) not null, quantity int not null);
