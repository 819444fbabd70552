import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@allmende/core';
import { APP_CONFIG, AppConfig } from './app-config';

/** Provides the already validated AppConfig and the clock to every module of a process. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
