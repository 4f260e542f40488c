import { createApp } from 'vue'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { whenSignedOut } from './session'
import { forgetDirectory } from './directory'

whenSignedOut((expired) => {
  forgetDirectory()
  const here = router.currentRoute.value
  void router.replace({ path: '/login', query: expired && here.path !== '/login' ? { next: here.fullPath, expired: '1' } : {} })
})

createApp(App).use(router).mount('#app')
