// app/demo/DemoSeeder.h — placeholder, being written (COPY loader for the demo corpus).
#pragma once
